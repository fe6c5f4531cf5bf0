using LearnedActivation.Grains.Contracts;

namespace LearnedActivation.Grains.Sweeps;

/// <summary>
/// Builds a sweep's comparison artifacts once every run has ended (grids, reference functions,
/// overlays, curves, results table). Called off the grain scheduler; it may take a while. It reads run
/// artifacts from, and writes its own to, the blob store (under <see cref="Storage.StoreLayout.SweepArtifact"/>),
/// and returns the keys it wrote. Runs that did not complete are listed in
/// <see cref="SweepAssemblyInput.MissingRuns"/>: assemble what the completed ones allow and say which are missing.
/// </summary>
public interface ISweepArtifactAssembler
{
    Task<IReadOnlyList<string>> AssembleAsync(SweepAssemblyInput input, CancellationToken cancellationToken);
}

/// <summary>Everything the sweep knows about its runs at the end.</summary>
/// <param name="Spec">The sweep's spec.</param>
/// <param name="Runs">Every run, in spec order, completed or not.</param>
/// <param name="MissingRuns">Configuration names of the runs that did not complete (failed or cancelled).</param>
/// <param name="SweepId">The sweep's id: its own artifacts are stored under <see cref="Storage.StoreLayout.SweepArtifact"/> of it.</param>
public sealed record SweepAssemblyInput(
    SweepSpec Spec,
    IReadOnlyList<AssemblyRun> Runs,
    IReadOnlyList<string> MissingRuns,
    string SweepId);

/// <summary>One run as the assembler sees it: definition, final status, curve, and the blob keys of its artifacts.</summary>
public sealed record AssemblyRun(RunDefinition Definition, RunStatus Status, IReadOnlyList<EpochReport> Curve, IReadOnlyList<string> ArtifactKeys)
{
    public bool Completed => Status.Phase == RunPhase.Completed;
}
