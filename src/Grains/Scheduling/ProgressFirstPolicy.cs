namespace LearnedActivation.Grains.Scheduling;

/// <summary>
/// The default: a starting or resumed sweep serves runs with progress first (they are the closest to
/// done), then in spec order; a run that lost its execution goes back to the front (it has progress to
/// keep, and its checkpoint is freshest now); a claiming silo gets the front run, whoever it is.
/// </summary>
public sealed class ProgressFirstPolicy : IQueuePolicy
{
    public const string Name = "progress-first";

    public IReadOnlyList<QueuedRun> Arrange(IReadOnlyList<QueuedRun> queue) =>
        [.. queue.OrderByDescending(r => r.Epoch).ThenBy(r => r.SpecOrder)];

    public int Readmit(IReadOnlyList<QueuedRun> queue, QueuedRun run) => 0;

    public int Pick(IReadOnlyList<QueuedRun> queue, string silo) => 0;
}
