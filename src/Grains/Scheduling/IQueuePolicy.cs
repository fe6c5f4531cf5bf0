namespace LearnedActivation.Grains.Scheduling;

/// <summary>
/// Decides the order in which a sweep's queued runs go to silos. The sweep keeps its queue (a list of
/// configuration names, persisted) and asks the policy only where a run goes in and which run comes out.
/// Pure: no grains, no I/O, no clock, so a policy is tested as plain code. A new policy is one class
/// implementing this plus its line in <see cref="QueuePolicies"/>; silos choose it by
/// <see cref="RunSchedulingOptions.QueuePolicy"/>.
/// </summary>
public interface IQueuePolicy
{
    /// <summary>The queue as a sweep starts or resumes: every run to be served, queued before or just now, in serving order.</summary>
    IReadOnlyList<QueuedRun> Arrange(IReadOnlyList<QueuedRun> queue);

    /// <summary>
    /// Where a run that lost its execution (its silo died, its lease ran out, or a cancel it heard was
    /// withdrawn) rejoins <paramref name="queue"/>, which does not hold it: an index from 0 to queue.Count.
    /// </summary>
    int Readmit(IReadOnlyList<QueuedRun> queue, QueuedRun run);

    /// <summary>Which run of the non-empty <paramref name="queue"/> a claiming silo (its label) gets: an index into it.</summary>
    int Pick(IReadOnlyList<QueuedRun> queue, string silo);
}

/// <summary>A queued run as a policy sees it.</summary>
/// <param name="ConfigName">The run's configuration name: its entry in the queue.</param>
/// <param name="SpecOrder">Its position among the spec's runs.</param>
/// <param name="Epoch">Epochs it has trained so far (what a resumed execution keeps).</param>
public sealed record QueuedRun(string ConfigName, int SpecOrder, int Epoch);
