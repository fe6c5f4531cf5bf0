namespace LearnedActivation.Model.Configuration;

/// <summary>
/// How the shared activation network is computed during a run (docs/benchmarks.md has the speed and the
/// accuracy of each). Exact is the reference; Grid interpolates between knots.
/// </summary>
public enum ActivationEvaluation
{
    /// <summary>Stock libtorch composition of the layers: the reference, and the slowest.</summary>
    Exact,

    /// <summary>The network on a grid of knots over the batch's range, linear interpolation between them.</summary>
    Grid,
}
