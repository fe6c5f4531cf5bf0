using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Scheduling;
using LearnedActivation.Grains.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LearnedActivation.Grains.Runs;

/// <summary>
/// One configuration of one sweep: its durable record. It owns no training and no timers, so where it is
/// activated does not matter and a re-activation (after its silo died) is indistinguishable from the
/// first: the sweep grain queues and assigns the run, a silo's worker executes it, and the execution's
/// reports are applied here only while its execution id is the assigned one.
/// <para>
/// It is also the fence for the run's blobs (see docs/architecture.md, "Fencing"): an execution writes only
/// under its own id; the checkpoint a new execution resumes from is the one recorded here, and the staged
/// artifacts of the execution whose end is accepted here are promoted (copied) to the run's artifact keys
/// after that end is stored, by this grain, whose writes are conditional.
/// </para>
/// </summary>
[GrainType(StoreLayout.RunGrainType)]
public sealed partial class TrainingRunGrain(
    [PersistentState(StoreLayout.RunStateName, StorageNames.Runs)] IPersistentState<RunState> state,
    TimeProvider time,
    IOptions<RunSchedulingOptions> scheduling,
    IBlobStore store,
    CheckpointStore checkpoints,
    ILogger<TrainingRunGrain> logger) : Grain, ITrainingRunGrain, IRemindable
{
    private DateTimeOffset _lastHeard = time.GetUtcNow();

    private RunState S => state.State;

    private string Key => this.GetPrimaryKeyString();

    /// <summary>An end stored before its artifacts were promoted (the silo died in between): promoted now.</summary>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (S.PendingArtifacts.Count > 0)
        {
            try
            {
                await PromoteAsync();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The next report of the end (retried by its execution) or the next activation tries again.
                LogPromotionFailed(e, Key);
            }
        }
    }

    public async Task<RunOutcome> EnqueueAsync(RunWorkItem work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (work.Key.ToString() != Key)
        {
            throw new ArgumentException($"work item for '{work.Key}' sent to run '{Key}'", nameof(work));
        }

        if (S.Work is not null && S.Work != work)
        {
            throw new ArgumentException($"run '{Key}' exists with a different spec", nameof(work));
        }

        if (S.Status?.Phase != RunPhase.Completed)
        {
            S.Enqueue(work, time.GetUtcNow());
            await WriteAsync();
        }

        return S.Outcome();
    }

    public async Task<RunStatus> AssignAsync(Guid executionId, string host)
    {
        if (S.Work is null || S.IsTerminal)
        {
            throw new InvalidOperationException($"run '{Key}' is not queued (phase {S.Status?.Phase.ToString() ?? "none"})");
        }

        var maxAttempts = scheduling.Value.MaxAttempts;
        if (S.AttemptsExhausted(maxAttempts))
        {
            // A poison run: each execution was lost (it crashed or killed its silo). It ends here, so the others go on.
            S.GiveUp(maxAttempts, time.GetUtcNow());
            await WriteAsync();
            LogGaveUp(Key, S.Attempts, S.Status!.Error);
            throw new InvalidOperationException($"run '{Key}' is not queued: {S.Status.Error}");
        }

        S.Assign(executionId, host, time.GetUtcNow());
        _lastHeard = time.GetUtcNow();
        await WriteAsync();
        return S.Status!;
    }

    public async Task<RunStatus> RequeueAsync(Guid executionId)
    {
        if (S.ExecutionId == executionId && !S.IsTerminal)
        {
            LogRequeued(Key, S.Status!.HostSilo, S.Status.Epoch);
            S.Requeue(time.GetUtcNow());
            await WriteAsync();
        }

        return await GetStatusAsync();
    }

    public Task<RunStatus> GetStatusAsync() =>
        Task.FromResult(S.Status ?? RunStatus.NotStarted(RunKey.Parse(Key), 0, time.GetUtcNow()));

    public Task<RunOutcome> GetOutcomeAsync() =>
        Task.FromResult(S.Status is null ? new RunOutcome(RunStatus.NotStarted(RunKey.Parse(Key), 0, time.GetUtcNow()), [], []) : S.Outcome());

    public async Task<RunStatus> CancelAsync()
    {
        if (S.Status is { IsTerminal: false } status)
        {
            if (S.ExecutionId is null)
            {
                S.EndedWithoutExecution(RunPhase.Cancelled, time.GetUtcNow());
            }
            else if (!status.CancelRequested)
            {
                S.RequestCancel(time.GetUtcNow());
            }

            await WriteAsync();
        }

        return await GetStatusAsync();
    }

    public Task<RunStatus?> CheckAsync(Guid executionId)
    {
        if (executionId != S.ExecutionId || S.IsTerminal)
        {
            return Task.FromResult<RunStatus?>(null);
        }

        _lastHeard = time.GetUtcNow();
        return Task.FromResult(S.Status);
    }

    public async Task<RunStatus?> ConfirmAsync(Guid executionId)
    {
        // Every change is written as it is made, so reading the record back loses nothing of this activation's.
        await state.ReadStateAsync();
        return await CheckAsync(executionId);
    }

    public Task<RunObservation> ObserveAsync(Guid executionId) =>
        Task.FromResult(new RunObservation(S.Outcome(), executionId == S.ExecutionId, time.GetUtcNow() - _lastHeard));

    public async Task KeepAsync(Guid executionId)
    {
        if (executionId == S.ExecutionId && S.Status is { IsTerminal: false, CancelRequested: true })
        {
            S.Status = S.Status with { CancelRequested = false };
            await WriteAsync();
        }
    }

    /// <summary>Reminders of an earlier version of this grain (which resumed itself) are retired.</summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (await this.GetReminder(reminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    public Task<RunStatus?> OnStartedAsync(Guid executionId, int resumedFromEpoch, string? checkpointKey) =>
        RecordAsync(executionId, () => S.Started(resumedFromEpoch, checkpointKey, time.GetUtcNow()));

    public Task<RunStatus?> OnEpochAsync(Guid executionId, EpochReport epoch, string? checkpointKey) =>
        RecordAsync(executionId, () => S.Epoch(epoch, checkpointKey, time.GetUtcNow()));

    public async Task<RunOutcome?> OnEndedAsync(Guid executionId, RunEnd ending)
    {
        ArgumentNullException.ThrowIfNull(ending);
        if (executionId == S.ExecutionId && S.IsTerminal)
        {
            // Applied before, but the reply was lost (the caller retries): the sweep must still hear of it.
            await PromoteAsync();
            return S.Outcome();
        }

        if (await RecordAsync(executionId, () => S.Ended(ending, time.GetUtcNow())) is null)
        {
            return null;
        }

        // Stored first, so that only the execution this record accepted has its artifacts promoted.
        await PromoteAsync();

        LogEnded(Key, ending.Phase, ending.Epoch, ending.Error);
        return S.Outcome();
    }

    /// <summary>
    /// Applies a report of the owning execution; reports of any other (stale) execution are refused. The
    /// transitions are idempotent, so a report retried after a failed write is applied again harmlessly.
    /// </summary>
    private async Task<RunStatus?> RecordAsync(Guid executionId, Action apply)
    {
        if (executionId != S.ExecutionId || S.IsTerminal)
        {
            return null;
        }

        apply();
        _lastHeard = time.GetUtcNow();
        await WriteAsync();
        return S.Status;
    }

    /// <summary>
    /// Copies the accepted execution's staged artifacts to the run's artifact keys, stores that they are, then
    /// deletes what other executions left (and the staged copies). Idempotent: a retry copies again.
    /// </summary>
    private async Task PromoteAsync()
    {
        if (S.PendingArtifacts.Count == 0)
        {
            return;
        }

        var run = RunKey.Parse(Key);
        foreach (var staged in S.PendingArtifacts)
        {
            var bytes = await store.GetAsync(staged) ?? throw new InvalidOperationException($"run '{Key}': staged artifact '{staged}' is missing");
            await store.PutAsync(StoreLayout.PromotedArtifact(run, staged), bytes);
        }

        S.PendingArtifacts = [];
        await WriteAsync();
        try
        {
            await checkpoints.PruneOtherExecutionsAsync(run, S.Status?.LastCheckpointKey);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogPromotionFailed(e, Key);
        }
    }

    /// <summary>
    /// Writes the state; when that fails, goes back to what is stored (so that a retried report is applied
    /// and written again rather than found "already applied" in memory only), or, if even that fails,
    /// deactivates so that the next call reads the store afresh.
    /// </summary>
    private async Task WriteAsync()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            try
            {
                await state.ReadStateAsync();
            }
            catch (Exception reload) when (reload is not OperationCanceledException)
            {
                DeactivateOnIdle();
            }

            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {Run}: promoting its artifacts or pruning other executions' blobs failed; retried later")]
    private partial void LogPromotionFailed(Exception e, string run);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {Run} ended {Phase} after epoch {Epoch} {Error}")]
    private partial void LogEnded(string run, RunPhase phase, int epoch, string? error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Run {Run} failed: {Attempts} executions were lost; {Error}")]
    private partial void LogGaveUp(string run, int attempts, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {Run}: its silo {Silo} left the cluster; queued again to resume after epoch {Epoch}")]
    private partial void LogRequeued(string run, string? silo, int epoch);
}
