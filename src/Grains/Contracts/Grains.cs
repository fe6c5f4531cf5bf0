using Orleans.Concurrency;

namespace LearnedActivation.Grains.Contracts;

/// <summary>
/// The coordinator of one sweep (key: sweep id). Owns the spec, the queue of runs waiting for a training
/// slot and which silo executes each of the others; collects curves; assembles the comparison artifacts
/// when every run has ended. Silos pull work from it (<see cref="ClaimAsync"/>), so runs go to whichever
/// silo has a free slot, including one that joined mid-sweep; a run whose silo leaves the cluster goes
/// back to the head of the queue and resumes from its last checkpoint wherever it is claimed next.
/// </summary>
[Alias("la.ISweepGrain")]
public interface ISweepGrain : IGrainWithStringKey
{
    /// <summary>
    /// Starts the sweep, or resumes it when it exists with the same spec: completed runs are kept, every
    /// other run not executing on a live silo is queued and continues from its last checkpoint. A different
    /// spec under the same id is refused (<see cref="ArgumentException"/>); so is a spec whose id differs
    /// from the grain's key.
    /// Starting asks every run to queue (one grain call and one record write per run): thousands of runs take
    /// longer than Orleans' default 30 s response timeout on a busy machine, so this call may take up to 10 minutes.
    /// </summary>
    [Alias("StartAsync")]
    [ResponseTimeout("00:10:00")]
    Task<SweepStatus> StartAsync(SweepSpec spec);

    [Alias("GetStatusAsync"), AlwaysInterleave]
    Task<SweepStatus> GetStatusAsync();

    /// <summary>Per-run learning curves (validation metrics per epoch), keyed by configuration name.</summary>
    [Alias("GetCurvesAsync"), AlwaysInterleave]
    Task<IReadOnlyDictionary<string, IReadOnlyList<EpochReport>>> GetCurvesAsync();

    /// <summary>
    /// From a silo with a free training slot: the next queued run, now assigned to that silo under a new
    /// execution id, or null when nothing is queued (or the sweep is not running).
    /// </summary>
    [Alias("ClaimAsync")]
    Task<RunClaim?> ClaimAsync(WorkerSilo silo);

    /// <summary>Cancels every run that has not ended: queued ones at once, executing ones at their next epoch (they checkpoint first).</summary>
    [Alias("CancelAsync")]
    Task CancelAsync();

    /// <summary>
    /// From a run's execution, after each epoch (the run grain has already recorded it). Like the two
    /// reports below, applied only while <paramref name="executionId"/> is the run's assigned execution.
    /// </summary>
    [Alias("ReportEpochAsync")]
    Task ReportEpochAsync(Guid executionId, RunStatus status, EpochReport epoch);

    /// <summary>From a run's execution, on a phase change that is not an end (e.g. Queued -> Running).</summary>
    [Alias("ReportStatusAsync")]
    Task ReportStatusAsync(Guid executionId, RunStatus status);

    /// <summary>From a run's execution when it ended (completed, failed or cancelled).</summary>
    [Alias("RunEndedAsync")]
    Task RunEndedAsync(Guid executionId, RunOutcome outcome);
}

/// <summary>
/// One configuration of one sweep (key: "{sweepId}/{configName}", see <see cref="RunKey"/>): the run's
/// durable record. It trains nowhere itself: the sweep grain queues and assigns it, a silo's worker
/// executes it, and the execution reports here under the execution id it was assigned; reports of any
/// other execution (one whose silo was presumed dead) are refused as stale.
/// </summary>
[Alias("la.ITrainingRunGrain")]
public interface ITrainingRunGrain : IGrainWithStringKey
{
    /// <summary>
    /// Records the run's work and puts it in the Queued phase (keeping its epoch, checkpoint and curve)
    /// unless it is completed; any execution it had becomes stale. A different spec under the same key is
    /// refused. Returns the run as it stands (so a sweep that lost track of a run catches up).
    /// </summary>
    [Alias("EnqueueAsync")]
    Task<RunOutcome> EnqueueAsync(RunWorkItem work);

    /// <summary>The run was claimed: execution <paramref name="executionId"/> on <paramref name="host"/> owns it now.</summary>
    [Alias("AssignAsync")]
    Task<RunStatus> AssignAsync(Guid executionId, string host);

    /// <summary>
    /// The silo of <paramref name="executionId"/> is gone: back to Queued, that execution's reports are
    /// stale from now on. No effect when another execution owns the run or it has ended.
    /// </summary>
    [Alias("RequeueAsync")]
    Task<RunStatus> RequeueAsync(Guid executionId);

    [Alias("GetStatusAsync"), AlwaysInterleave]
    Task<RunStatus> GetStatusAsync();

    /// <summary>The run as it stands with its curve and artifact keys (the sweep keeps neither: they live here).</summary>
    [Alias("GetOutcomeAsync"), AlwaysInterleave]
    Task<RunOutcome> GetOutcomeAsync();

    /// <summary>
    /// A run that no execution owns ends Cancelled at once; an executing one is asked to stop (its next
    /// report is answered with <see cref="RunStatus.CancelRequested"/>; it checkpoints and reports its end).
    /// Returns the status after the request.
    /// </summary>
    [Alias("CancelAsync")]
    Task<RunStatus> CancelAsync();

    /// <summary>
    /// From this run's execution, between reports: its status (with <see cref="RunStatus.CancelRequested"/>) while
    /// it owns the run, null when it is stale. Lets a cancel reach a long epoch within seconds.
    /// </summary>
    [Alias("CheckAsync"), AlwaysInterleave]
    Task<RunStatus?> CheckAsync(Guid executionId);

    /// <summary>
    /// The fence, asked by an execution right before it writes a checkpoint or its artifacts: like
    /// <see cref="CheckAsync"/>, but answered from the record as stored, not from this activation's memory (an
    /// activation left on a silo that was cut off and declared dead holds an outdated record).
    /// </summary>
    [Alias("ConfirmAsync")]
    Task<RunStatus?> ConfirmAsync(Guid executionId);

    /// <summary>
    /// For the sweep's reconciliation: the run as it stands, whether <paramref name="executionId"/> owns it,
    /// and how long ago this activation last heard from that execution (a report or a heartbeat; counted from
    /// the assignment or this activation's start when it has not been heard yet).
    /// </summary>
    [Alias("ObserveAsync"), AlwaysInterleave]
    Task<RunObservation> ObserveAsync(Guid executionId);

    /// <summary>A resumed sweep keeps the run with its execution: a cancel requested earlier is withdrawn.</summary>
    [Alias("KeepAsync")]
    Task KeepAsync(Guid executionId);

    /// <summary>From this run's execution: an epoch ended. Returns null when the report is from a stale execution.</summary>
    [Alias("OnEpochAsync")]
    Task<RunStatus?> OnEpochAsync(Guid executionId, EpochReport epoch, string? checkpointKey);

    /// <summary>From this run's execution: it started (or resumed at <paramref name="resumedFromEpoch"/>). Null when stale.</summary>
    [Alias("OnStartedAsync")]
    Task<RunStatus?> OnStartedAsync(Guid executionId, int resumedFromEpoch, string? checkpointKey);

    /// <summary>
    /// From this run's execution: it ended. Returns null when the report is from a stale execution. A
    /// repeated report of the same end (a retry after a lost reply) returns the outcome again.
    /// </summary>
    [Alias("OnEndedAsync")]
    Task<RunOutcome?> OnEndedAsync(Guid executionId, RunEnd ending);
}

/// <summary>
/// The list of sweeps that may have queued work (key: <see cref="Key"/>); silos poll it when they have a
/// free slot. Sweeps add themselves when started and remove themselves when they end. It calls no grain.
/// </summary>
[Alias("la.ISweepBoardGrain")]
public interface ISweepBoardGrain : IGrainWithStringKey
{
    public const string Key = "active";

    [Alias("AddAsync")]
    Task AddAsync(string sweepId);

    [Alias("RemoveAsync")]
    Task RemoveAsync(string sweepId);

    /// <summary>Active sweeps, oldest first (their queues are served in that order).</summary>
    [Alias("GetActiveAsync"), AlwaysInterleave]
    Task<IReadOnlyList<string>> GetActiveAsync();
}
