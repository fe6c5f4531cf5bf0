namespace LearnedActivation.Model.Configuration;

/// <summary>
/// How the shared activation network is computed during a run (docs/benchmarks.md has the speed and the
/// accuracy of each). Exact is the reference, Fused computes the same function faster, Grid interpolates between knots.
/// </summary>
public enum ActivationEvaluation
{
    /// <summary>Stock libtorch composition of the layers: the reference, and the slowest.</summary>
    Exact,

    /// <summary>The same function by a vectorised kernel of our own: all layers in one pass, exact to float rounding.</summary>
    Fused,

    /// <summary>The network on a grid of knots over the batch's range, a cubic between them (relu: its bends, lines between them).</summary>
    Grid,
}
