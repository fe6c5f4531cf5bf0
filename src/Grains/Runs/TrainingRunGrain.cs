using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Execution;
using LearnedActivation.Grains.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LearnedActivation.Grains.Runs;

/// <summary>
/// One configuration of one sweep. Starts its training on this silo's worker and records what the
/// execution reports; never trains inside a call. While an execution is under way a grain timer keeps
/// the activation alive (idle collection cannot see background work) and a reminder brings the grain
/// back on another silo if this one dies, where the activation resumes from the last checkpoint.
/// </summary>
[GrainType(StoreLayout.RunGrainType)]
[SpreadPlacement]
public sealed partial class TrainingRunGrain(
    [PersistentState("run", StorageNames.Runs)] IPersistentState<RunState> state,
    IRunExecutor executor,
    ILocalSiloDetails silo,
    IOptions<TrainingSlotsOptions> options,
    TimeProvider time,
    ILogger<TrainingRunGrain> logger) : Grain, ITrainingRunGrain, IRemindable, IDisposable
{
    private const string ResumeReminder = "resume";
    private static readonly TimeSpan WatchPeriod = TimeSpan.FromMinutes(1);
    private RunExecution? _execution;
    private CancellationTokenSource? _cancel;
    private IGrainTimer? _watch;

    private RunState S => state.State;

    private string Key => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (S.WasExecuting && options.Value.ResumeInterruptedRuns)
        {
            // Not right away: the message that activated us may be the interrupted execution's own last report.
            Watch(dueTime: TimeSpan.FromSeconds(1));
        }

        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_execution is { IsRunning: true } execution)
        {
            LogStopping(Key, reason.ReasonCode);
            execution.Stop();
            await Task.WhenAny(execution.Completion, Task.Delay(Timeout.Infinite, cancellationToken));
        }
    }

    public async Task<RunOutcome> StartAsync(RunWorkItem work)
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

        if (S.Status?.Phase != RunPhase.Completed && _execution is not { IsRunning: true })
        {
            await BeginExecutionAsync(work);
        }

        return S.Outcome();
    }

    public Task<RunStatus> GetStatusAsync() =>
        Task.FromResult(S.Status ?? RunStatus.NotStarted(RunKey.Parse(Key), 0, time.GetUtcNow()));

    public async Task<RunStatus> CancelAsync()
    {
        if (_execution is { IsRunning: true })
        {
            await _cancel!.CancelAsync();
        }
        else if (S.Status is { IsTerminal: false })
        {
            // Interrupted earlier and not resumed here: no execution will report an end, so record it now.
            S.EndedWithoutExecution(RunPhase.Cancelled, time.GetUtcNow());
            await state.WriteStateAsync();
            await StopWatchingAsync();
        }

        return await GetStatusAsync();
    }

    public Task<RunStatus?> OnStartedAsync(Guid executionId, int resumedFromEpoch, string? checkpointKey) =>
        RecordAsync(executionId, () => S.Started(resumedFromEpoch, checkpointKey, time.GetUtcNow()));

    public Task<RunStatus?> OnEpochAsync(Guid executionId, EpochReport epoch, string? checkpointKey) =>
        RecordAsync(executionId, () => S.Epoch(epoch, checkpointKey, time.GetUtcNow()));

    public async Task<RunOutcome?> OnEndedAsync(Guid executionId, RunEnd ending)
    {
        ArgumentNullException.ThrowIfNull(ending);
        if (await RecordAsync(executionId, () => S.Ended(ending, time.GetUtcNow())) is null)
        {
            return null;
        }

        await StopWatchingAsync();
        LogEnded(Key, ending.Phase, ending.Epoch, ending.Error);
        return S.Outcome();
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) =>
        S.WasExecuting ? ResumeIfIdleAsync() : StopWatchingAsync();

    public void Dispose() => _cancel?.Dispose();

    /// <summary>Applies a report of the current execution; reports of any other (stale) execution are ignored.</summary>
    private async Task<RunStatus?> RecordAsync(Guid executionId, Action apply)
    {
        if (executionId != S.ExecutionId || S.IsTerminal)
        {
            return null;
        }

        apply();
        await state.WriteStateAsync();
        return S.Status;
    }

    private async Task BeginExecutionAsync(RunWorkItem work)
    {
        var executionId = Guid.NewGuid();
        S.Begin(work, executionId, $"{silo.Name}@{silo.SiloAddress.Endpoint}", time.GetUtcNow());
        await state.WriteStateAsync();
        await this.RegisterOrUpdateReminder(ResumeReminder, WatchPeriod, WatchPeriod);

        _cancel?.Dispose();
        _cancel = new CancellationTokenSource();
        _execution = executor.Start(work, new GrainProgressSink(GrainFactory, work.Key, executionId), _cancel.Token);
        Watch(dueTime: WatchPeriod);
    }

    private async Task ResumeIfIdleAsync()
    {
        if (S.WasExecuting && _execution is not { IsRunning: true } && options.Value.ResumeInterruptedRuns)
        {
            LogResuming(Key, S.Status!.Epoch);
            await BeginExecutionAsync(S.Work!);
        }
    }

    /// <summary>A keep-alive timer that also resumes the run should its execution vanish.</summary>
    private void Watch(TimeSpan dueTime)
    {
        _watch?.Dispose();
        _watch = this.RegisterGrainTimer(ResumeIfIdleAsync, new GrainTimerCreationOptions(dueTime, WatchPeriod) { KeepAlive = true });
    }

    private async Task StopWatchingAsync()
    {
        _watch?.Dispose();
        _watch = null;
        if (await this.GetReminder(ResumeReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {Run} resuming after epoch {Epoch}")]
    private partial void LogResuming(string run, int epoch);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {Run} ended {Phase} after epoch {Epoch} {Error}")]
    private partial void LogEnded(string run, RunPhase phase, int epoch, string? error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {Run} deactivating ({Reason}): its execution stops and keeps its checkpoint")]
    private partial void LogStopping(string run, DeactivationReasonCode reason);
}
