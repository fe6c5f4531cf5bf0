using LearnedActivation.Model.Analysis.Comparison;

namespace LearnedActivation.Model.Reporting.Claims;

/// <summary>A completed run with an activation network and its function in z-units.</summary>
internal sealed record ShapedRun(RunSummary Run, StandardisedFunction Function);

/// <summary>
/// The learned functions of a sweep side by side: every completed run of an arm with an activation network that
/// recorded its pre-activations, in z-units, and the affine-invariant distance between every pair of them.
/// Computed once per report and shared by the claims and the figures.
/// </summary>
internal sealed class SweepShapes
{
    /// <summary>
    /// Above this many functions the pairwise matrix (two fits per pair) would take minutes of the coordinator's
    /// time; the report then says so and the claims that need it are not tested.
    /// </summary>
    public const int MaxPairwiseRuns = 400;

    private SweepShapes(IReadOnlyList<ShapedRun> runs, double[,]? distances)
    {
        Runs = runs;
        Distances = distances;
    }

    public IReadOnlyList<ShapedRun> Runs { get; }

    /// <summary>Symmetric distances in <see cref="Runs"/> order; null when there are more than <see cref="MaxPairwiseRuns"/>.</summary>
    public double[,]? Distances { get; }

    public static SweepShapes Of(IEnumerable<RunSummary> rows)
    {
        var runs = rows
            .Where(r => r.Outcome == RunOutcome.Completed && Statistics.ArmGroup.HasActivationNetwork(r.Arm) && r.LearnedActivation is not null)
            .Select(r => (Run: r, Function: StandardisedFunction.From(r.RunName, r.LearnedActivation!.X, r.LearnedActivation.Y, r.PreActivations)))
            .Where(p => p.Function is not null)
            .Select(p => new ShapedRun(p.Run, p.Function!))
            .ToList();
        var distances = runs.Count <= MaxPairwiseRuns ? FunctionDistances.Matrix([.. runs.Select(r => r.Function)]) : null;
        return new SweepShapes(runs, distances);
    }
}
