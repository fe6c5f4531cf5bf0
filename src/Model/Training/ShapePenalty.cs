using LearnedActivation.Model.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Training;

/// <summary>
/// A penalty on the shape of the learned activation, added to the batch loss: strength x the mean square of its
/// curvature f'' by second finite differences on <see cref="Knots"/> evenly spaced points over
/// [-<see cref="HalfRange"/>, <see cref="HalfRange"/>] (the pre-activations start with std 1/sqrt 3, so the range
/// is about five standard deviations). Why: learned from scratch, the activation network lets the outer network
/// fit the training split faster and generalise worse than the plain base (docs/study-results.md); a wiggly
/// function is how it does that, and this makes wiggles cost. Curvature, not slope: it pulls the function straight,
/// not flat (a slope penalty, like weight decay, closed only half the gap; docs/study-results.md, "Attempts").
/// </summary>
public sealed class ShapePenalty
{
    public const int Knots = 65;

    public const double HalfRange = 3.0;

    /// <summary>
    /// Epochs over which the strength rises linearly from 0 to its full value. Why: the from-scratch start is a
    /// random function with sharp bends, so at full strength from the first step the penalty dominates the data
    /// loss; with a learning rate of 1e-2 Adam then pulled the function flat first (flat has no curvature) and one
    /// run sat at chance for 16 epochs (tanh, medium outer, large activation network, seed 2). The overfitting the
    /// penalty is for sets in after about 20 epochs, so the full strength still applies by then.
    /// </summary>
    public const double RampEpochs = 10;

    private readonly ActivationNetwork _network;
    private readonly double _strength;

    public ShapePenalty(ActivationNetwork network, double strength)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (!(strength >= 0) || double.IsInfinity(strength))
        {
            throw new ArgumentOutOfRangeException(nameof(strength), $"the penalty's strength must be a non-negative number (got {strength})");
        }

        _network = network;
        _strength = strength;
    }

    /// <summary>The fraction of the strength that applies after <paramref name="epochsDone"/> epochs (fractional: batches count).</summary>
    public static double Ramp(double epochsDone) => Math.Clamp(epochsDone / RampEpochs, 0, 1);

    /// <summary>Knot spacing h over the fixed range.</summary>
    public static double Spacing => 2 * HalfRange / (Knots - 1);

    /// <summary>strength x mean((Δ²f/h²)^2) over the <see cref="Knots"/> knots, a differentiable scalar.</summary>
    public Tensor Compute()
    {
        // Every Scalar is a using local, alive until its native call has returned; no operator and no call that
        // makes its own Scalar is used (a + b passes a temporary alpha, square() a temporary exponent 2; sub(Tensor)
        // and mul(Tensor) pass none): AdamOptimizer says why. Such temporaries, finalised mid-call, failed 1-2 of
        // 108 runs of the default study ("Unknown scalar type", "INTERNAL ASSERT FAILED at Scalar.h").
        var x = linspace(-HalfRange, HalfRange, Knots, ScalarType.Float32);
        var f = _network.forward(x);
        using var h = Spacing.ToScalar();
        var slope = f[1..].sub(f[..^1]).div(h);
        var curvature = slope[1..].sub(slope[..^1]).div(h);
        using var strength = _strength.ToScalar();
        return curvature.mul(curvature).mean().mul(strength);
    }

    /// <summary>
    /// <paramref name="loss"/> plus the penalty at its ramped strength after <paramref name="epochsDone"/> epochs
    /// (fractional: batches count), differentiably: the objective a training step descends. The same for single-task
    /// (<see cref="TrainingSession"/>) and multitask runs.
    /// </summary>
    public Tensor AddTo(Tensor loss, double epochsDone)
    {
        ArgumentNullException.ThrowIfNull(loss);

        // Scalars held until the native calls return, no tensor operators (Compute says why).
        using var ramp = Ramp(epochsDone).ToScalar();
        using var one = 1.0.ToScalar();
        return loss.add(Compute().mul(ramp), one);
    }
}
