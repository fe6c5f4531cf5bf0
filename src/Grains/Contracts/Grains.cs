using Orleans.Concurrency;

namespace LearnedActivation.Grains.Contracts;

/// <summary>
/// The coordinator of one sweep (key: sweep id). Owns the spec and the list of runs, collects their
/// curves, and assembles the comparison artifacts when every run has ended.
/// </summary>
[Alias("la.ISweepGrain")]
public interface ISweepGrain : IGrainWithStringKey
{
    /// <summary>
    /// Starts the sweep, or resumes it when it exists with the same spec: completed runs are kept,
    /// every other run continues from its last checkpoint. A different spec under the same id is refused
    /// (<see cref="ArgumentException"/>); so is a spec whose id differs from the grain's key.
    /// </summary>
    [Alias("StartAsync")]
    Task<SweepStatus> StartAsync(SweepSpec spec);

    [Alias("GetStatusAsync"), AlwaysInterleave]
    Task<SweepStatus> GetStatusAsync();

    /// <summary>Per-run learning curves (validation metrics per epoch), keyed by configuration name.</summary>
    [Alias("GetCurvesAsync"), AlwaysInterleave]
    Task<IReadOnlyDictionary<string, IReadOnlyList<EpochReport>>> GetCurvesAsync();

    /// <summary>Cancels every run that has not ended; each checkpoints and ends as Cancelled.</summary>
    [Alias("CancelAsync")]
    Task CancelAsync();

    /// <summary>From a run's execution, after each epoch (the run grain has already recorded it).</summary>
    [Alias("ReportEpochAsync")]
    Task ReportEpochAsync(RunStatus status, EpochReport epoch);

    /// <summary>From a run's execution, on a phase change that is not an end (e.g. Queued -> Running).</summary>
    [Alias("ReportStatusAsync")]
    Task ReportStatusAsync(RunStatus status);

    /// <summary>From a run's execution when it ended (completed, failed or cancelled).</summary>
    [Alias("RunEndedAsync")]
    Task RunEndedAsync(RunOutcome outcome);
}

/// <summary>
/// One configuration of one sweep (key: "{sweepId}/{configName}", see <see cref="RunKey"/>). Training
/// happens on the hosting silo's worker, never inside a grain call; the grain records progress durably.
/// </summary>
[Alias("la.ITrainingRunGrain")]
public interface ITrainingRunGrain : IGrainWithStringKey
{
    /// <summary>
    /// Starts (or resumes from its last checkpoint) unless the run is completed or already executing here.
    /// Returns at once with the run as it stands: status, curve so far, artifacts once completed (so a
    /// sweep that lost track of a run, e.g. after a crash, catches up).
    /// </summary>
    [Alias("StartAsync")]
    Task<RunOutcome> StartAsync(RunWorkItem work);

    [Alias("GetStatusAsync"), AlwaysInterleave]
    Task<RunStatus> GetStatusAsync();

    /// <summary>
    /// Asks the execution to stop; it checkpoints and the run ends as Cancelled (reported by the
    /// execution). A run interrupted earlier with no execution here is marked Cancelled at once.
    /// Returns the status after the request.
    /// </summary>
    [Alias("CancelAsync")]
    Task<RunStatus> CancelAsync();

    /// <summary>From this run's execution: an epoch ended. Returns null when the report is from a stale execution.</summary>
    [Alias("OnEpochAsync")]
    Task<RunStatus?> OnEpochAsync(Guid executionId, EpochReport epoch, string? checkpointKey);

    /// <summary>From this run's execution: it got a training slot and started (or resumed at <paramref name="resumedFromEpoch"/>).</summary>
    [Alias("OnStartedAsync")]
    Task<RunStatus?> OnStartedAsync(Guid executionId, int resumedFromEpoch, string? checkpointKey);

    /// <summary>From this run's execution: it ended. Returns null when the report is from a stale execution.</summary>
    [Alias("OnEndedAsync")]
    Task<RunOutcome?> OnEndedAsync(Guid executionId, RunEnd ending);
}
