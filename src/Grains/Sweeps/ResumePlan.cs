using LearnedActivation.Grains.Contracts;

namespace LearnedActivation.Grains.Sweeps;

/// <summary>What starting or resuming a sweep takes (<see cref="SweepState.PlanStart"/>).</summary>
/// <param name="Finished">Every run completed and the artifacts were assembled: nothing to do.</param>
/// <param name="Keep">Runs executing on a live silo, with their execution: they keep going (a cancel requested earlier is withdrawn).</param>
/// <param name="Enqueue">Every other unfinished run, in spec order: queued to continue from its last checkpoint.</param>
/// <param name="Total">How many runs the spec has.</param>
public sealed record ResumePlan(bool Finished, IReadOnlyDictionary<string, Guid> Keep, IReadOnlyList<RunWorkItem> Enqueue, int Total)
{
    public static ResumePlan AlreadyFinished { get; } = new(true, new Dictionary<string, Guid>(), [], 0);
}
