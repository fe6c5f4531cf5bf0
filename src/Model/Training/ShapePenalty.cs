using LearnedActivation.Model.Networks;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Training;

/// <summary>What <see cref="ShapePenalty"/> penalises: the learned function's first or second finite difference.</summary>
public enum ShapePenaltyKind
{
    /// <summary>Mean squared slope f' over the knots: pulls the function flat (as decay toward zero does).</summary>
    Slope,

    /// <summary>Mean squared curvature f'' over the knots: pulls the function straight (smooth), not flat.</summary>
    Curvature,
}

/// <summary>
/// A penalty on the shape of the learned activation, added to the batch loss: strength x the mean square of its
/// slope or curvature by finite differences on <see cref="Knots"/> evenly spaced points over
/// [-<see cref="HalfRange"/>, <see cref="HalfRange"/>] (the pre-activations start with std 1/sqrt 3, so the range
/// is about five standard deviations). Why: learned from scratch, the activation network lets the outer network
/// fit the training split faster and generalise worse than the plain base (docs/study-results.md); a steep or
/// wiggly function is how it does that, and this makes steepness or wiggles cost.
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
    private readonly ShapePenaltyKind _kind;

    public ShapePenalty(ActivationNetwork network, ShapePenaltyKind kind, double strength)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (!(strength >= 0) || double.IsInfinity(strength))
        {
            throw new ArgumentOutOfRangeException(nameof(strength), $"the penalty's strength must be a non-negative number (got {strength})");
        }

        _network = network;
        _kind = kind;
        _strength = strength;
    }

    /// <summary>The fraction of the strength that applies after <paramref name="epochsDone"/> epochs (fractional: batches count).</summary>
    public static double Ramp(double epochsDone) => Math.Clamp(epochsDone / RampEpochs, 0, 1);

    /// <summary>Knot spacing h over the fixed range.</summary>
    public static double Spacing => 2 * HalfRange / (Knots - 1);

    /// <summary>The penalty over the fixed range [-<see cref="HalfRange"/>, <see cref="HalfRange"/>].</summary>
    public Tensor Compute() => Compute(-HalfRange, HalfRange);

    /// <summary>strength x mean((Δf/h)^2) or mean((Δ²f/h²)^2) over <see cref="Knots"/> knots spanning [low, high], a differentiable scalar.</summary>
    public Tensor Compute(double low, double high)
    {
        if (!(high > low) || !double.IsFinite(low) || !double.IsFinite(high))
        {
            throw new ArgumentException($"the knots need a finite range with low < high (got [{low}, {high}])");
        }

        var x = linspace(low, high, Knots, ScalarType.Float32);
        var f = _network.forward(x);
        var h = (high - low) / (Knots - 1);
        var first = (f[1..] - f[..^1]) / h;
        var measure = _kind == ShapePenaltyKind.Slope ? first : (first[1..] - first[..^1]) / h;
        return measure.square().mean() * _strength;
    }
}
