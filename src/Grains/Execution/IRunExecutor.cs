using LearnedActivation.Grains.Contracts;

namespace LearnedActivation.Grains.Execution;

/// <summary>
/// Starts a run's training off the grain scheduler, in a training slot already taken. <see cref="Start"/>
/// returns at once; progress comes back through the sink, in order, from outside any grain turn, and the
/// sink's verdicts can stop the execution (see <see cref="ReportVerdict"/>).
/// </summary>
public interface IRunExecutor
{
    /// <param name="work">What to train.</param>
    /// <param name="sink">Where progress goes (for the run grain: <see cref="GrainProgressSink"/>).</param>
    /// <param name="slot">The training slot this execution holds; given back when it ends.</param>
    /// <param name="cancellationToken">Cancels the run: it checkpoints, and ends reporting <see cref="RunPhase.Cancelled"/>.</param>
    RunExecution Start(RunWorkItem work, IRunProgressSink sink, IDisposable slot, CancellationToken cancellationToken);
}

/// <summary>What the run's record answered to a progress report.</summary>
public enum ReportVerdict
{
    Accepted,

    /// <summary>The user cancelled the run: checkpoint and end as Cancelled.</summary>
    CancelRequested,

    /// <summary>Another execution owns the run now (this one's silo was presumed dead): stop without reporting an end.</summary>
    Stale,
}

/// <summary>Progress of one execution, delivered in order on a non-grain thread.</summary>
public interface IRunProgressSink
{
    /// <summary>Identifies the execution, so that the grain can ignore reports of one it no longer owns.</summary>
    Guid ExecutionId { get; }

    /// <summary>
    /// The checkpoint the run's record named when it assigned the run to this execution: the only one it may
    /// resume from (null: train from the start). Never the newest found in the store, which may be a stale execution's.
    /// </summary>
    string? ResumeFrom { get; }

    /// <summary>The run started; it resumes after <paramref name="resumedFromEpoch"/> (0: fresh).</summary>
    Task<ReportVerdict> StartedAsync(int resumedFromEpoch, string? checkpointKey);

    /// <summary>An epoch ended; <paramref name="checkpointKey"/> is set when a checkpoint was stored for it.</summary>
    Task<ReportVerdict> EpochAsync(EpochReport epoch, string? checkpointKey);

    /// <summary>Between reports (every <see cref="Scheduling.RunSchedulingOptions.HeartbeatInterval"/>): does this execution still own the run, was it cancelled?</summary>
    Task<ReportVerdict> CheckAsync();

    /// <summary>Right before a store write: does this execution own the run according to the record as stored (the fence)?</summary>
    Task<ReportVerdict> ConfirmAsync();

    /// <summary>The run ended: completed, failed or cancelled. Not called when the execution was stopped because its silo is stopping or it went stale: the run stays resumable.</summary>
    Task EndedAsync(RunEnd ending);
}

/// <summary>A handle on one running execution.</summary>
public sealed class RunExecution(Guid id, Task completion, Action stop)
{
    public Guid Id => id;

    /// <summary>Ends when the execution has stopped and delivered all its reports.</summary>
    public Task Completion => completion;

    public bool IsRunning => !completion.IsCompleted;

    /// <summary>
    /// Stops without ending the run (the silo is stopping): the last checkpoint stays, no end is
    /// reported, and the run is queued again once the silo has left the cluster.
    /// </summary>
    public void Stop() => stop();
}
