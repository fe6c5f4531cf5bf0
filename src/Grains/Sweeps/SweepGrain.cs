using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Scheduling;
using LearnedActivation.Grains.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LearnedActivation.Grains.Sweeps;

/// <summary>
/// Coordinates one sweep. Starting it queues every run that has not completed; silos with a free training
/// slot claim queued runs (<see cref="ClaimAsync"/>), so work goes where there is capacity. While runs are
/// assigned, a timer (and a reminder, which survives this grain's own silo) checks cluster membership:
/// a run whose silo is gone goes back to the front of the queue, to resume from its last checkpoint
/// wherever it is claimed next. When all runs have ended the artifacts are assembled off the grain
/// scheduler. Run grains never call this grain; their executions do (see GrainProgressSink).
/// </summary>
[GrainType(StoreLayout.SweepGrainType)]
public sealed partial class SweepGrain(
    [PersistentState("sweep", StorageNames.Sweeps)] IPersistentState<SweepState> state,
    ISweepArtifactAssembler assembler,
    IBlobStore store,
    IClusterMembershipService membership,
    IOptions<RunSchedulingOptions> scheduling,
    TimeProvider time,
    ILogger<SweepGrain> logger) : Grain, ISweepGrain, IRemindable
{
    private const string HostCheckReminder = "host-check";
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);
    private IGrainTimer? _assembly;
    private IGrainTimer? _hostCheck;
    private StorageProblem? _storageProblem;
    private Task _storeProbe = Task.CompletedTask;

    private SweepState S => state.State;

    private string Id => this.GetPrimaryKeyString();

    private bool NeedsWatching => S.Phase == SweepPhase.Running || S.Assignments.Count > 0;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // An assembly that a crash interrupted is redone.
        if (S.Phase == SweepPhase.Assembling || (S.Phase == SweepPhase.Running && S.AllRunsEnded))
        {
            ScheduleAssembly();
        }

        if (NeedsWatching)
        {
            // Re-activated after a crash: runs of silos that died with it go back to the queue right away.
            WatchHosts(TimeSpan.Zero);
        }

        return Task.CompletedTask;
    }

    public async Task<SweepStatus> StartAsync(SweepSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Id != Id)
        {
            throw new ArgumentException($"spec id '{spec.Id}' sent to sweep '{Id}'", nameof(spec));
        }

        if (SweepSpecValidator.FirstError(spec) is { } error)
        {
            throw new ArgumentException($"sweep '{Id}': {error}", nameof(spec));
        }

        if (S.Spec is not null && !S.Spec.SameAs(spec))
        {
            throw new ArgumentException($"sweep '{Id}' already exists with a different spec; start it under another id", nameof(spec));
        }

        var now = time.GetUtcNow();
        var toStart = spec.Runs()
            .Where(r => !(S.Runs.TryGetValue(r.ConfigName, out var s) && s.Phase == RunPhase.Completed))
            .Where(r => !OwnedByLiveSilo(r.ConfigName))
            .ToList();
        if (toStart.Count == 0 && S.Phase == SweepPhase.Finished && S.AssemblyError is null)
        {
            return S.ToStatus(Id, now);
        }

        LogStarting(Id, toStart.Count, spec.Runs().Count);
        var outcomes = await Task.WhenAll(toStart.Select(r => Run(r.ConfigName).EnqueueAsync(RunWorkItem.For(spec, r))));
        (S.Spec, S.Phase, S.StartedAt, S.FinishedAt, S.AssemblyError) = (spec, SweepPhase.Running, S.StartedAt ?? now, null, null);
        foreach (var outcome in outcomes)
        {
            S.Record(outcome);
            if (outcome.Status.Phase != RunPhase.Completed)
            {
                S.Enqueue(outcome.Status.ConfigName, first: false);
            }
        }

        // Runs with progress first (they are the closest to done), then in spec order.
        S.Queue = [.. S.Queue.OrderByDescending(name => S.Runs[name].Epoch).ThenBy(Order)];
        await WriteAsync();
        await GrainFactory.GetGrain<ISweepBoardGrain>(ISweepBoardGrain.Key).AddAsync(Id);
        await this.RegisterOrUpdateReminder(HostCheckReminder, ReminderPeriod, ReminderPeriod);
        WatchHosts(scheduling.Value.HostCheckInterval);
        if (S.AllRunsEnded)
        {
            ScheduleAssembly();
        }

        return S.ToStatus(Id, now);
    }

    public Task<SweepStatus> GetStatusAsync() => Task.FromResult(S.ToStatus(Id, time.GetUtcNow()) with { Storage = StorageCondition() });

    public Task<IReadOnlyDictionary<string, IReadOnlyList<EpochReport>>> GetCurvesAsync() =>
        Task.FromResult<IReadOnlyDictionary<string, IReadOnlyList<EpochReport>>>(
            S.Curves.ToDictionary(c => c.Key, c => (IReadOnlyList<EpochReport>)[.. c.Value]));

    public async Task<RunClaim?> ClaimAsync(WorkerSilo silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        if (S.Phase != SweepPhase.Running || S.Queue.Count == 0 || S.Spec is null)
        {
            return null;
        }

        var name = S.Queue[0];
        var definition = S.Spec.Runs().Single(r => r.ConfigName == name);
        var executionId = Guid.NewGuid();
        var status = await Run(name).AssignAsync(executionId, silo.Label);
        var previous = S.Runs[name];
        S.Queue.RemoveAt(0);
        S.Assignments[name] = new RunAssignment(silo.Address.ToParsableString(), executionId, time.GetUtcNow());
        S.Runs[name] = status;
        try
        {
            await WriteAsync();
        }
        catch
        {
            // Not claimed after all: the silo will not start it, so it must not look owned. (The run grain's
            // record of this execution id is harmless: the next claim assigns a new one.)
            S.Assignments.Remove(name);
            S.Runs[name] = previous;
            S.Queue.Insert(0, name);
            throw;
        }

        return new RunClaim(RunWorkItem.For(S.Spec, definition), executionId);
    }

    public async Task CancelAsync()
    {
        if (S.Spec is null || S.Phase is not SweepPhase.Running)
        {
            return;
        }

        await RequeueRunsOfDeadSilosAsync();
        try
        {
            S.Phase = SweepPhase.Cancelled;
            S.Queue.Clear();
            var live = S.Spec.Runs().Where(r => !(S.Runs.TryGetValue(r.ConfigName, out var s) && s.IsTerminal));
            var statuses = await Task.WhenAll(live.Select(r => Run(r.ConfigName).CancelAsync()));

            // Queued runs ended just now; executing ones report their end after their next epoch.
            foreach (var status in statuses)
            {
                S.Runs[status.ConfigName] = status;
            }

            await WriteAsync();
        }
        catch
        {
            // Back to what is stored, so that status never shows a cancel that did not happen.
            await state.ReadStateAsync();
            throw;
        }

        await GrainFactory.GetGrain<ISweepBoardGrain>(ISweepBoardGrain.Key).RemoveAsync(Id);
    }

    public async Task ReportEpochAsync(RunStatus status, EpochReport epoch)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (S.Knows(status.ConfigName))
        {
            S.RecordEpoch(status, epoch);
            await WriteAsync();
        }
    }

    public async Task ReportStatusAsync(RunStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (S.Knows(status.ConfigName))
        {
            S.RecordStatus(status);
            await WriteAsync();
        }
    }

    public async Task RunEndedAsync(RunOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (!S.Knows(outcome.Status.ConfigName))
        {
            return;
        }

        S.Record(outcome);
        S.Assignments.Remove(outcome.Status.ConfigName);
        S.Queue.Remove(outcome.Status.ConfigName);
        await WriteAsync();
        if (S.Phase == SweepPhase.Running && S.AllRunsEnded)
        {
            ScheduleAssembly();
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (NeedsWatching)
        {
            WatchHosts(TimeSpan.Zero);
            return Task.CompletedTask;
        }

        return StopWatchingAsync();
    }

    private bool OwnedByLiveSilo(string configName) =>
        S.Assignments.TryGetValue(configName, out var assignment) && Stands(assignment);

    /// <summary>
    /// Whether an assignment still stands: its silo is alive, and its execution has reported that it
    /// started or has had time to. (A claim whose reply was lost, e.g. because this grain's silo died just
    /// after recording it, leaves an assignment that no execution will ever report to.)
    /// </summary>
    private bool Stands(RunAssignment assignment) =>
        IsAlive(assignment.Silo) && (assignment.Started || time.GetUtcNow() - assignment.At < scheduling.Value.ClaimStartTimeout);

    /// <summary>Alive unless membership has declared the silo dead or no longer lists it (a silo of an earlier cluster).</summary>
    private bool IsAlive(string silo) =>
        membership.CurrentSnapshot.GetSiloStatus(SiloAddress.FromParsableString(silo)) is not (SiloStatus.Dead or SiloStatus.None);

    /// <summary>The host check: a timer while this activation lives, kept alive by the reminder across silo deaths.</summary>
    private void WatchHosts(TimeSpan dueTime)
    {
        _hostCheck?.Dispose();
        _hostCheck = this.RegisterGrainTimer(CheckHostsAsync, new GrainTimerCreationOptions(dueTime, scheduling.Value.HostCheckInterval) { KeepAlive = true });
    }

    private async Task CheckHostsAsync(CancellationToken cancellationToken)
    {
        ProbeStore();
        await RequeueRunsOfDeadSilosAsync();
        if (!NeedsWatching)
        {
            await StopWatchingAsync();
        }
    }

    /// <summary>
    /// Runs owned by executions on silos that are gone (or that never started) go back to the front of the queue (or, in a
    /// cancelled sweep, end cancelled): a crash is not a failure, and no run stays "running" forever.
    /// </summary>
    private async Task RequeueRunsOfDeadSilosAsync()
    {
        var orphans = S.Assignments.Where(a => !Stands(a.Value)).ToList();
        if (orphans.Count == 0)
        {
            return;
        }

        foreach (var (name, assignment) in orphans)
        {
            LogSiloGone(Id, name, assignment.Silo);
            var status = await Run(name).RequeueAsync(assignment.ExecutionId);
            if (S.Phase == SweepPhase.Cancelled && !status.IsTerminal)
            {
                status = await Run(name).CancelAsync();
            }

            S.Runs[name] = status;
            S.Assignments.Remove(name);
            if (S.Phase == SweepPhase.Running && !status.IsTerminal)
            {
                S.Enqueue(name, first: true);
            }
        }

        await WriteAsync();
    }

    private async Task StopWatchingAsync()
    {
        _hostCheck?.Dispose();
        _hostCheck = null;
        if (await this.GetReminder(HostCheckReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    /// <summary>
    /// Touches the store in the background (never blocking this grain: through an outage the store retries
    /// for minutes), so that <see cref="IBlobStore.UnreachableSince"/> here reflects an outage even while
    /// the reports that would reveal it are stuck in other grains' writes on other silos.
    /// </summary>
    private void ProbeStore()
    {
        if (_storeProbe.IsCompleted)
        {
            var key = StoreLayout.SweepState(Id);
            _storeProbe = Task.Run(() => store.ExistsAsync(key));
        }
    }

    /// <summary>The store as this silo sees it: retrying through an outage now, or failing the last write of this grain.</summary>
    private StorageProblem? StorageCondition() =>
        store.UnreachableSince is { } since
            ? new StorageProblem(since, "the blob store does not answer; writes are retried until it does")
            : _storageProblem;

    /// <summary>Writes the state; a failure is shown in status (until a write succeeds) and rethrown, so callers retry.</summary>
    private async Task WriteAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await state.WriteStateAsync(cancellationToken);
            _storageProblem = null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _storageProblem ??= new StorageProblem(time.GetUtcNow(), $"{e.GetType().Name}: {e.Message}".ReplaceLineEndings(" "));
            throw;
        }
    }

    /// <summary>As a grain timer, so that the assembly runs as a turn of its own rather than inside a run's report.</summary>
    private void ScheduleAssembly()
    {
        _assembly?.Dispose();
        _assembly = this.RegisterGrainTimer(AssembleAsync, new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan) { KeepAlive = true });
    }

    private async Task AssembleAsync(CancellationToken cancellationToken)
    {
        S.Phase = SweepPhase.Assembling;
        await WriteAsync(cancellationToken);
        var input = S.AssemblyInput(Id, time.GetUtcNow());
        try
        {
            // Plotting is CPU work: off the grain scheduler.
            var keys = await Task.Run(() => assembler.AssembleAsync(input, cancellationToken), cancellationToken);
            (S.ArtifactKeys, S.AssemblyError) = ([.. keys], null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogAssemblyFailed(e, Id);
            S.AssemblyError = $"{e.GetType().Name}: {e.Message}".ReplaceLineEndings(" ");
        }

        (S.MissingRuns, S.Phase, S.FinishedAt) = ([.. input.MissingRuns], SweepPhase.Finished, time.GetUtcNow());
        await WriteAsync(cancellationToken);
        await GrainFactory.GetGrain<ISweepBoardGrain>(ISweepBoardGrain.Key).RemoveAsync(Id);
        await StopWatchingAsync();
        LogFinished(Id, input.Runs.Count - input.MissingRuns.Count, input.Runs.Count, input.MissingRuns);
    }

    private int Order(string configName) => S.Spec!.Runs().ToList().FindIndex(r => r.ConfigName == configName);

    private ITrainingRunGrain Run(string configName) => GrainFactory.GetGrain<ITrainingRunGrain>(new RunKey(Id, configName).ToString());

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {Sweep}: queueing {Count} of {Total} runs (the rest completed earlier or are training)")]
    private partial void LogStarting(string sweep, int count, int total);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweep {Sweep}: run {Run} was executing on silo {Silo}, which is gone; queued again")]
    private partial void LogSiloGone(string sweep, string run, string silo);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {Sweep} finished: {Completed}/{Total} runs completed; missing {Missing}")]
    private partial void LogFinished(string sweep, int completed, int total, IReadOnlyList<string> missing);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sweep {Sweep}: assembling artifacts failed")]
    private partial void LogAssemblyFailed(Exception e, string sweep);
}
