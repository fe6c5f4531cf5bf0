using LearnedActivation.Model.Bases;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Networks;

/// <summary>
/// The from-scratch initialisation of an activation network: a random function that imitates no base function
/// and that passes the signal on. Why: with PyTorch's default initialisation each layer shrinks the variance by
/// about 3, so a deep activation network (1-32-16-8-1) computes an almost constant function; composed after every
/// outer layer it erases the input and the run sits at chance for many epochs. Two steps fix that:
/// <list type="number">
/// <item>variance-preserving weights (normal, std = gain / sqrt(fan_in), the base's gain as in
/// <c>nn.init.calculate_gain</c>), so the hidden units stay in the base's non-linear range at every depth;
/// PyTorch's default biases, so bends and saturations fall at random places;</item>
/// <item>then the last layer is rescaled so the function's output has mean 0 and standard deviation 1 over the
/// distribution the outer network's pre-activations have at the start (normal, std 1/sqrt(3): PyTorch's default
/// linear initialisation on unit-variance inputs). The next outer layer then sees inputs of the same scale as
/// with a plain unit-gain activation, at every depth.</item>
/// </list>
/// Deterministic: every number comes from the run's generator or from fixed quantiles.
/// </summary>
public static class ActivationInit
{
    /// <summary>Std of the pre-activations the function is normalised over.</summary>
    public static readonly double ReferenceStd = 1 / Math.Sqrt(3);

    /// <summary>Points (normal quantiles) the output's mean and spread are measured on.</summary>
    public const int ReferencePoints = 257;

    /// <summary>Redraws every layer of <paramref name="network"/> from <paramref name="generator"/> as described above.</summary>
    public static void FromScratch(ActivationNetwork network, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(generator);
        var gain = Gain(network.Base);
        using var noGrad = no_grad();
        var layers = network.Layers;
        for (var i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            var fanIn = layer.in_features;
            // The first layer's input is the pre-activation itself (std ~ReferenceStd), not a unit: scale it up to unit.
            var inputScale = i == 0 ? 1 / ReferenceStd : 1.0;
            layer.weight!.normal_(0, gain * inputScale / Math.Sqrt(fanIn), generator);
            var bound = 1.0 / Math.Sqrt(fanIn);
            layer.bias!.uniform_(-bound, bound, generator);
        }

        Standardise(network);
    }

    /// <summary>Mean and standard deviation of the network's output over the reference distribution.</summary>
    public static (double Mean, double Std) OutputMoments(ActivationNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        // Exact, whatever the run's evaluation mode: the same seed starts from the same function in every mode.
        var y = ExactActivationEvaluator.Instance.Evaluate(network, ReferenceInputs().reshape(-1, 1)).to_type(ScalarType.Float64);
        return (y.mean().item<double>(), y.std(unbiased: false).item<double>());
    }

    /// <summary>Normal quantiles at (i + 0.5) / n, scaled to <see cref="ReferenceStd"/>.</summary>
    public static Tensor ReferenceInputs()
    {
        var x = new float[ReferencePoints];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = (float)(ReferenceStd * NormalQuantile((i + 0.5) / ReferencePoints));
        }

        return tensor(x);
    }

    private static void Standardise(ActivationNetwork network)
    {
        var (mean, std) = OutputMoments(network);
        // A function constant over the whole reference range cannot be rescaled into a useful one; random draws
        // with the gains above never give one, and a zero std would only turn into NaN weights.
        if (!(std > 1e-12))
        {
            throw new InvalidOperationException($"the activation network's initial function is constant over the reference range (std {std})");
        }

        var last = network.Layers[^1];
        using var noGrad = no_grad();
        // Scalars held until the calls return (an implicit temporary can be finalised mid-call; AdamOptimizer).
        using var stdScalar = std.ToScalar();
        using var meanScalar = mean.ToScalar();
        last.weight!.div_(stdScalar);
        last.bias!.sub_(meanScalar).div_(stdScalar);
    }

    /// <summary>PyTorch's <c>calculate_gain</c>: 5/3 for tanh, sqrt(2) for relu; the relu-like gelu and silu take relu's.</summary>
    private static double Gain(BaseActivation activation) => activation switch
    {
        BaseActivation.Tanh => 5.0 / 3,
        _ => BaseActivations.Of(activation).ReluShaped || activation is BaseActivation.Gelu or BaseActivation.Silu ? Math.Sqrt(2) : 1.0,
    };

    /// <summary>Inverse of the standard normal CDF by bisection on <see cref="BaseActivationMath.Erf"/> (257 points, once per run).</summary>
    private static double NormalQuantile(double p)
    {
        double low = -10, high = 10;
        for (var i = 0; i < 80; i++)
        {
            var mid = (low + high) / 2;
            if (0.5 * (1 + BaseActivationMath.Erf(mid / Math.Sqrt(2))) < p)
            {
                low = mid;
            }
            else
            {
                high = mid;
            }
        }

        return (low + high) / 2;
    }
}
