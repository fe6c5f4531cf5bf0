using LearnedActivation.Model.Bases;
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
    public static double Apply(BaseActivation activation, double x) => BaseActivationMath.Evaluate(activation, x);
}
