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

    private string Host => $"{silo.Name}@{silo.SiloAddress.Endpoint}";

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
            LogStoppingOnDeactivation(this.GetPrimaryKeyString(), reason.ReasonCode.ToString());
            execution.Stop();
            await execution.Completion.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Current);
        }
    }

    public async Task<RunStatus> StartAsync(RunWorkItem work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (work.Key.ToString() != this.GetPrimaryKeyString())
        {
            throw new ArgumentException($"work item for '{work.Key}' sent to run '{this.GetPrimaryKeyString()}'", nameof(work));
        }

        if (S.Work is not null && S.Work != work)
        {
            throw new ArgumentException($"run '{work.Key}' exists with a different spec", nameof(work));
        }

        if (S.Status?.Phase == RunPhase.Completed || _execution is { IsRunning: true })
        {
            return S.Status!;
        }

        await BeginExecutionAsync(work);
        return S.Status!;
    }

    public Task<RunStatus> GetStatusAsync() =>
        Task.FromResult(S.Status ?? RunStatus.NotStarted(RunKey.Parse(this.GetPrimaryKeyString()), 0, time.GetUtcNow()));

    public async Task CancelAsync()
    {
        if (_execution is { IsRunning: true })
        {
            await _cancel!.CancelAsync();
        }
        else if (S.Status is { IsTerminal: false })
        {
            // Interrupted here earlier and not resumed: nothing will report an end, so record it now.
            S.EndedWithoutExecution(RunPhase.Cancelled, time.GetUtcNow());
            await state.WriteStateAsync();
            await StopWatchingAsync();
        }
    }

    public async Task<RunStatus?> OnStartedAsync(Guid executionId, int resumedFromEpoch, string? checkpointKey)
    {
        if (executionId != S.ExecutionId)
        {
            return null;
        }

        S.Started(resumedFromEpoch, checkpointKey, time.GetUtcNow());
        await state.WriteStateAsync();
        return S.Status;
    }

    public async Task<RunStatus?> OnEpochAsync(Guid executionId, EpochReport epoch, string? checkpointKey)
    {
        if (executionId != S.ExecutionId || S.IsTerminal)
        {
            return null;
        }

        S.Epoch(epoch, checkpointKey, time.GetUtcNow());
        await state.WriteStateAsync();
        return S.Status;
    }

    public async Task<RunOutcome?> OnEndedAsync(Guid executionId, RunEnd ending)
    {
        if (executionId != S.ExecutionId || S.IsTerminal)
        {
            return null;
        }

        S.Ended(ending, time.GetUtcNow());
        await state.WriteStateAsync();
        await StopWatchingAsync();
        LogEnded(this.GetPrimaryKeyString(), ending.Phase, ending.Epoch, ending.Error);
        return S.Outcome();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (S.IsTerminal || !S.WasExecuting)
        {
            await StopWatchingAsync();
        }
        else
        {
            await ResumeIfIdleAsync();
        }
    }

    public void Dispose() => _cancel?.Dispose();

    private async Task BeginExecutionAsync(RunWorkItem work)
    {
        var executionId = Guid.NewGuid();
        S.Begin(work, executionId, Host, time.GetUtcNow());
        await state.WriteStateAsync();

        _cancel?.Dispose();
        _cancel = new CancellationTokenSource();
        var sink = new GrainProgressSink(GrainFactory, work.Key, executionId);
        _execution = executor.Start(work, sink, _cancel.Token);
        await this.RegisterOrUpdateReminder(ResumeReminder, WatchPeriod, WatchPeriod);
        Watch(dueTime: WatchPeriod);
    }

    private async Task ResumeIfIdleAsync()
    {
        if (S.WasExecuting && _execution is not { IsRunning: true } && options.Value.ResumeInterruptedRuns)
        {
            LogResuming(this.GetPrimaryKeyString(), S.Status!.Epoch);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {Run} deactivating ({Reason}): stopping its execution, which keeps its checkpoint")]
    private partial void LogStoppingOnDeactivation(string run, string reason);
}
