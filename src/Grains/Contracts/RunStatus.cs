namespace LearnedActivation.Grains.Contracts;

/// <summary>Where a run stands. Completed, Failed and Cancelled are terminal until the sweep is started again.</summary>
public enum RunPhase
{
    Queued,
    Running,
    Completed,
    Failed,
    Cancelled,
}

/// <summary>Metrics after one epoch (validation split) as the training backend measured them.</summary>
[GenerateSerializer, Immutable, Alias("la.EpochReport")]
public sealed record EpochReport(
    [property: Id(0)] int Epoch,
    [property: Id(1)] double TrainLoss,
    [property: Id(2)] double ValLoss,
    [property: Id(3)] double ValAccuracy,
    [property: Id(4)] double ValAuc,
    [property: Id(5)] double Seconds);

/// <summary>Test-split metrics of the finished run (best-validation weights, as the backend decides).</summary>
[GenerateSerializer, Immutable, Alias("la.TestMetrics")]
public sealed record TestMetrics(
    [property: Id(0)] double Accuracy,
    [property: Id(1)] double Auc);

/// <summary>
/// A run's durable status: what `learnact status` shows for one row. <see cref="Attempts"/>: executions assigned
/// since the run was last queued by a start or resume (Scheduling:MaxAttempts bounds them; a poison run's shows
/// how many it used up).
/// </summary>
[GenerateSerializer, Immutable, Alias("la.RunStatus")]
public sealed record RunStatus(
    [property: Id(0)] string SweepId,
    [property: Id(1)] string ConfigName,
    [property: Id(2)] RunPhase Phase,
    [property: Id(3)] int Epoch,
    [property: Id(4)] int TotalEpochs,
    [property: Id(5)] EpochReport? Latest,
    [property: Id(6)] double? BestValAccuracy,
    [property: Id(7)] TestMetrics? Test,
    [property: Id(8)] string? HostSilo,
    [property: Id(9)] string? LastCheckpointKey,
    [property: Id(10)] DateTimeOffset? LastCheckpointAt,
    [property: Id(11)] string? Error,
    [property: Id(12)] DateTimeOffset UpdatedAt,
    [property: Id(13)] double TrainingSeconds = 0,
    [property: Id(14)] bool CancelRequested = false,
    [property: Id(15)] int Attempts = 0)
{
    public bool IsTerminal => Phase is RunPhase.Completed or RunPhase.Failed or RunPhase.Cancelled;

    public static RunStatus NotStarted(RunKey key, int totalEpochs, DateTimeOffset now) =>
        new(key.SweepId, key.ConfigName, RunPhase.Queued, 0, totalEpochs, null, null, null, null, null, null, null, now);
}

/// <summary>Counts of runs per phase.</summary>
[GenerateSerializer, Immutable, Alias("la.SweepTotals")]
public sealed record SweepTotals(
    [property: Id(0)] int Runs,
    [property: Id(1)] int Queued,
    [property: Id(2)] int Running,
    [property: Id(3)] int Completed,
    [property: Id(4)] int Failed,
    [property: Id(5)] int Cancelled)
{
    public static SweepTotals Of(IEnumerable<RunStatus> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var list = runs.ToList();
        int Count(RunPhase p) => list.Count(r => r.Phase == p);
        return new(list.Count, Count(RunPhase.Queued), Count(RunPhase.Running), Count(RunPhase.Completed), Count(RunPhase.Failed), Count(RunPhase.Cancelled));
    }

    public int Ended => Completed + Failed + Cancelled;
}

/// <summary>Where the sweep as a whole stands.</summary>
public enum SweepPhase
{
    /// <summary>No spec has been submitted under this id.</summary>
    Unknown,
    Running,

    /// <summary>All runs ended; artifacts are being assembled.</summary>
    Assembling,

    /// <summary>All runs ended and the artifacts were assembled (possibly with missing runs).</summary>
    Finished,
    Cancelled,
}

/// <summary>A sweep's status: its runs (in spec order), totals, and the assembled artifacts once finished.</summary>
[GenerateSerializer, Immutable, Alias("la.SweepStatus")]
public sealed record SweepStatus(
    [property: Id(0)] string SweepId,
    [property: Id(1)] SweepPhase Phase,
    [property: Id(2)] SweepSpec? Spec,
    [property: Id(3)] IReadOnlyList<RunStatus> Runs,
    [property: Id(4)] SweepTotals Totals,
    [property: Id(5)] IReadOnlyList<string> MissingRuns,
    [property: Id(6)] IReadOnlyList<string> ArtifactKeys,
    [property: Id(7)] string? AssemblyError,
    [property: Id(8)] DateTimeOffset? StartedAt,
    [property: Id(9)] DateTimeOffset? FinishedAt,
    [property: Id(10)] StorageProblem? Storage = null);

/// <summary>
/// The blob store failed the coordinator's last write (for example Azurite or the storage account is
/// unreachable): since when, and the error. Reports are retried until it returns; nothing is dropped.
/// </summary>
[GenerateSerializer, Immutable, Alias("la.StorageProblem")]
public sealed record StorageProblem(
    [property: Id(0)] DateTimeOffset Since,
    [property: Id(1)] string Error);
