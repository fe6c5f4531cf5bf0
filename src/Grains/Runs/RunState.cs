using LearnedActivation.Grains.Contracts;

namespace LearnedActivation.Grains.Runs;

/// <summary>
/// A run grain's durable state. The transitions live here, apart from the grain, so that they read
/// (and are tested) as plain code. New members get new [Id]s; none is ever renumbered.
/// </summary>
[GenerateSerializer, Alias("la.RunState")]
public sealed class RunState
{
    [Id(0)]
    public RunWorkItem? Work { get; set; }

    [Id(1)]
    public RunStatus? Status { get; set; }

    /// <summary>Validation metrics per epoch, epochs 1..Status.Epoch.</summary>
    [Id(2)]
    public List<EpochReport> Curve { get; set; } = [];

    /// <summary>The execution whose reports are accepted; reports of any other are stale.</summary>
    [Id(3)]
    public Guid? ExecutionId { get; set; }

    [Id(4)]
    public List<string> ArtifactKeys { get; set; } = [];

    /// <summary>
    /// Executions assigned since a start or resume last queued the run. Counted (and stored) when one is
    /// assigned, before it trains, so that an execution whose silo is killed mid-run counts too.
    /// </summary>
    [Id(5)]
    public int Attempts { get; set; }

    /// <summary>How the last execution was lost (its silo died or fell silent): the error of a run that runs out of attempts.</summary>
    [Id(6)]
    public string? LastLoss { get; set; }

    /// <summary>
    /// The staged artifacts of the execution whose end was accepted, still to be copied to the run's artifact keys
    /// (<see cref="Storage.StoreLayout.PromotedArtifact"/>); empty once promoted.
    /// </summary>
    [Id(7)]
    public List<string> PendingArtifacts { get; set; } = [];

    public bool IsTerminal => Status?.IsTerminal ?? false;

    /// <summary>Queued again (fresh, resumed after its silo died, or restarted after a failure or cancel): no execution owns it.</summary>
    public void Enqueue(RunWorkItem work, DateTimeOffset now)
    {
        Work = work;
        ExecutionId = null;
        (Attempts, LastLoss) = (0, null);
        var status = Status ?? RunStatus.NotStarted(work.Key, work.Budget.Epochs, now);
        Status = status with { Phase = RunPhase.Queued, TotalEpochs = work.Budget.Epochs, HostSilo = null, Error = null, Test = null, CancelRequested = false, Attempts = 0, UpdatedAt = now };
    }

    /// <summary>Claimed by a silo: <paramref name="executionId"/> owns the run until it ends or is requeued.</summary>
    public void Assign(Guid executionId, string host, DateTimeOffset now)
    {
        ExecutionId = executionId;
        Attempts++;
        Status = Status! with { Phase = RunPhase.Queued, HostSilo = host, CancelRequested = false, Attempts = Attempts, UpdatedAt = now };
    }

    /// <summary>Whether <paramref name="maxAttempts"/> executions were assigned already: another would exceed the limit.</summary>
    public bool AttemptsExhausted(int maxAttempts) => Attempts >= maxAttempts;

    /// <summary>A poison run (every execution was lost, e.g. it kills its silo): it ends Failed with how the last one was lost.</summary>
    public void GiveUp(int maxAttempts, DateTimeOffset now)
    {
        ExecutionId = null;
        var last = LastLoss ?? "its execution was lost";
        Status = Status! with
        {
            Phase = RunPhase.Failed,
            HostSilo = null,
            CancelRequested = false,
            Error = $"gave up after {Attempts} attempts (Scheduling:MaxAttempts = {maxAttempts}); the last: {last}",
            UpdatedAt = now,
        };
    }

    /// <summary>The owning execution's silo is gone: waiting for a slot again, from the last checkpoint.</summary>
    public void Requeue(DateTimeOffset now)
    {
        ExecutionId = null;
        LastLoss = $"its execution on {Status!.HostSilo ?? "a silo"} was lost after epoch {Status.Epoch} (the silo died or stopped answering)";
        Status = Status! with { Phase = RunPhase.Queued, HostSilo = null, UpdatedAt = now };
    }

    /// <summary>Asks the owning execution to stop: its next report is answered with the request.</summary>
    public void RequestCancel(DateTimeOffset now) => Status = Status! with { CancelRequested = true, UpdatedAt = now };

    public void Started(int resumedFromEpoch, string? checkpointKey, DateTimeOffset now)
    {
        // Epochs after the checkpoint are trained again; their old metrics no longer describe this run.
        Curve.RemoveAll(e => e.Epoch > resumedFromEpoch);
        Status = Summarise(Status! with
        {
            Phase = RunPhase.Running,
            Epoch = resumedFromEpoch,
            LastCheckpointKey = checkpointKey ?? (resumedFromEpoch == 0 ? null : Status!.LastCheckpointKey),
            UpdatedAt = now,
        });
    }

    public void Epoch(EpochReport epoch, string? checkpointKey, DateTimeOffset now)
    {
        Curve.RemoveAll(e => e.Epoch >= epoch.Epoch);
        Curve.Add(epoch);
        Status = Summarise(Status! with
        {
            Phase = RunPhase.Running,
            Epoch = epoch.Epoch,
            LastCheckpointKey = checkpointKey ?? Status!.LastCheckpointKey,
            LastCheckpointAt = checkpointKey is null ? Status!.LastCheckpointAt : now,
            UpdatedAt = now,
        });
    }

    public void Ended(RunEnd end, DateTimeOffset now)
    {
        var newCheckpoint = end.LastCheckpointKey is not null && end.LastCheckpointKey != Status!.LastCheckpointKey;
        var run = new RunKey(Status!.SweepId, Status.ConfigName);
        ArtifactKeys = [.. end.ArtifactKeys.Select(k => Storage.StoreLayout.PromotedArtifact(run, k))];
        PendingArtifacts = [.. end.ArtifactKeys.Where(k => Storage.StoreLayout.PromotedArtifact(run, k) != k)];
        Status = Summarise(Status! with
        {
            Phase = end.Phase,
            Epoch = end.Epoch,
            Test = end.Test,
            Error = end.Error,
            CancelRequested = false,
            LastCheckpointKey = end.LastCheckpointKey ?? Status!.LastCheckpointKey,
            LastCheckpointAt = newCheckpoint ? now : Status!.LastCheckpointAt,
            UpdatedAt = now,
        });
    }

    /// <summary>Status of a run ended without an execution (cancelled while queued).</summary>
    public void EndedWithoutExecution(RunPhase phase, DateTimeOffset now)
    {
        ExecutionId = null;
        Status = Status! with { Phase = phase, CancelRequested = false, UpdatedAt = now };
    }

    public RunOutcome Outcome() => new(Status!, [.. Curve], [.. ArtifactKeys]);

    private RunStatus Summarise(RunStatus status) => status with
    {
        Latest = Curve.LastOrDefault(),
        BestValAccuracy = Curve.Count == 0 ? null : Curve.Max(e => e.ValAccuracy),
        TrainingSeconds = Curve.Sum(e => e.Seconds),
    };
}
