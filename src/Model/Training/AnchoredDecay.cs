using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Training;

/// <summary>
/// Decoupled weight decay toward the parameters' starting values instead of toward zero (L2-SP, Li et al. 2018,
/// in AdamW's decoupled form): each step, before Adam's update, every parameter moves a fraction lr x strength of
/// the way back to where it started: <c>p &lt;- p - lr * strength * (p - p0)</c>. Why: decay toward zero on the
/// learned arm's activation network curbed its overfitting but pulled the function flat, and one seed stalled
/// (docs/study-results.md, "Attempts to close the gap"); the start here is a standardised random function, so the
/// pull keeps it non-linear. The anchors are copied when this is built; a restored run rebuilds the same anchors
/// because the session draws the same starting weights from the seed before the checkpoint overwrites them.
/// </summary>
public sealed class AnchoredDecay : IDisposable
{
    private readonly Parameter[] _parameters;
    private readonly Tensor[] _anchors;
    private readonly Scalar _keep;
    private readonly Scalar _pull;

    /// <param name="parameters">Parameters to anchor; their current values are the anchors.</param>
    /// <param name="learningRate">The optimiser's learning rate (the decay is decoupled, as AdamW's: it scales with it).</param>
    /// <param name="strength">Decay per unit of learning rate; the fraction moved per step is their product.</param>
    public AnchoredDecay(IEnumerable<Parameter> parameters, double learningRate, double strength)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var fraction = learningRate * strength;
        if (!(fraction >= 0 && fraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(strength), $"learning rate x strength must lie in [0, 1) (got {learningRate} x {strength})");
        }

        _parameters = [.. parameters];
        using (no_grad())
        {
            _anchors = [.. _parameters.Select(p => p.detach().clone().DetachFromDisposeScope())];
        }

        Fraction = fraction;
        _keep = (1 - fraction).ToScalar();
        _pull = fraction.ToScalar();
    }

    /// <summary>The fraction of the distance to the anchor removed per step (learning rate x strength).</summary>
    public double Fraction { get; }

    /// <summary>Moves every parameter toward its anchor: p = (1 - f) p + f p0. Call before the optimiser's step.</summary>
    public void Step()
    {
        using var noGrad = no_grad();
        for (var i = 0; i < _parameters.Length; i++)
        {
            _parameters[i].mul_(_keep).add_(_anchors[i], _pull);
        }
    }

    public void Dispose()
    {
        foreach (var anchor in _anchors)
        {
            anchor.Dispose();
        }

        _keep.Dispose();
        _pull.Dispose();
    }
}
