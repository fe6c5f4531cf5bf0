using LearnedActivation.Model.Configuration;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Networks;

/// <summary>Maps <see cref="BaseActivation"/> to the tensor function, in one place.</summary>
public static class BaseActivationFunction
{
    public static Tensor Apply(BaseActivation activation, Tensor input) => activation switch
    {
        BaseActivation.Tanh => nn.functional.tanh(input),
        BaseActivation.Relu => nn.functional.relu(input),

        // The study uses the exact (erf) GELU, PyTorch's default, not the tanh approximation.
        BaseActivation.Gelu => nn.functional.gelu(input, GELU.Approximate.none),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "unknown base activation"),
    };

    /// <summary>The same function on a double, for reference values in tests and plots.</summary>
    public static double Apply(BaseActivation activation, double x) => activation switch
    {
        BaseActivation.Tanh => Math.Tanh(x),
        BaseActivation.Relu => Math.Max(0, x),
        BaseActivation.Gelu => 0.5 * x * (1 + Erf(x / Math.Sqrt(2))),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "unknown base activation"),
    };

    // .NET has no erf. Numerical Recipes' Chebyshev fit of erfc: fractional error below 1.2e-7, enough for
    // reference curves and for checking float32 tensors.
    private static readonly double[] ErfcCoefficients =
        [-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277];

    private static double Erf(double x)
    {
        var z = Math.Abs(x);
        var t = 1.0 / (1.0 + (0.5 * z));
        var poly = 0.0;
        for (var i = ErfcCoefficients.Length - 1; i >= 1; i--)
        {
            poly = t * (ErfcCoefficients[i] + poly);
        }

        var erfc = t * Math.Exp((-z * z) + ErfcCoefficients[0] + poly);
        return x >= 0 ? 1 - erfc : erfc - 1;
    }
}
