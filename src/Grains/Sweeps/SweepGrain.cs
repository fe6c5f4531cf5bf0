using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Scheduling;
using LearnedActivation.Grains.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LearnedActivation.Grains.Sweeps;

/// <summary>
/// Coordinates one sweep. Starting it queues every run that has not completed; silos with a free training
/// slot claim queued runs (<see cref="ClaimAsync"/>), so work goes where there is capacity. While it has
/// work, a timer (and a reminder, which survives this grain's own silo) reconciles the assignments with
/// the cluster and the runs' records: a run whose silo is gone, or whose execution has fallen silent, goes
/// back to the front of the queue to resume from its last checkpoint; a run that ended without the sweep
/// hearing of it is recorded. When all runs have ended the artifacts are assembled off the grain scheduler.
/// Run grains never call this grain; their executions do (see GrainProgressSink), and only the reports of
/// the execution a run is assigned to count.
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
    private const string WatchReminder = "host-check";
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan AssemblyRetryDelay = TimeSpan.FromSeconds(10);
    private IGrainTimer? _assembly;
    private IGrainTimer? _watch;
    private StorageProblem? _storageProblem;
    private Task _storeProbe = Task.CompletedTask;

    private SweepState S => state.State;

    private string Id => this.GetPrimaryKeyString();

    private ISweepBoardGrain Board => GrainFactory.GetGrain<ISweepBoardGrain>(ISweepBoardGrain.Key);

    /// <summary>Runs may be queued or executing, or a cancel may still have runs to stop.</summary>
    private bool NeedsWatching => S.Phase == SweepPhase.Running || S.Assignments.Count > 0 || (S.Phase == SweepPhase.Cancelled && S.Unended().Any());

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // An assembly that a crash interrupted is redone.
        if (S.Phase == SweepPhase.Assembling || (S.Phase == SweepPhase.Running && S.AllRunsEnded))
        {
            ScheduleAssembly(TimeSpan.Zero);
        }

        if (NeedsWatching)
        {
            // Re-activated after a crash: runs of silos that died with it go back to the queue right away.
            Watch(TimeSpan.Zero);
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
        var unfinished = spec.Runs().Where(r => !(S.Runs.TryGetValue(r.ConfigName, out var s) && s.Phase == RunPhase.Completed)).ToList();
        if (unfinished.Count == 0 && S.Phase == SweepPhase.Finished && S.AssemblyError is null)
        {
            return S.ToStatus(Id, now);
        }

        // Runs still executing on a live silo keep going (a cancel requested before this resume is withdrawn);
        // every other unfinished run is queued to continue from its last checkpoint.
        var executing = unfinished.Where(r => S.Assignments.TryGetValue(r.ConfigName, out var a) && IsAlive(a.Silo)).ToList();
        await Task.WhenAll(executing.Select(r => Run(r.ConfigName).KeepAsync(S.Assignments[r.ConfigName].ExecutionId)));
        var toQueue = unfinished.Except(executing).ToList();
        LogStarting(Id, toQueue.Count, spec.Runs().Count);
        var outcomes = await Task.WhenAll(toQueue.Select(r => Run(r.ConfigName).EnqueueAsync(RunWorkItem.For(spec, r))));

        // On the board before the state says Running: a queue that no silo can find would never be served.
        await Board.AddAsync(Id);
        (S.Spec, S.Phase, S.StartedAt, S.FinishedAt, S.AssemblyError) = (spec, SweepPhase.Running, S.StartedAt ?? now, null, null);
        foreach (var outcome in outcomes)
        {
            S.Record(outcome);
            if (outcome.Status.Phase == RunPhase.Completed)
            {
                S.Queue.Remove(outcome.Status.ConfigName);
            }
            else
            {
                S.Enqueue(outcome.Status.ConfigName, first: false);
            }
        }

        // Runs with progress first (they are the closest to done), then in spec order.
        S.Queue = [.. S.Queue.OrderByDescending(name => S.Runs[name].Epoch).ThenBy(Order)];
        await WriteAsync();
        await this.RegisterOrUpdateReminder(WatchReminder, ReminderPeriod, ReminderPeriod);
        Watch(scheduling.Value.HostCheckInterval);
        if (S.AllRunsEnded)
        {
            ScheduleAssembly(TimeSpan.Zero);
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
        while (S.Phase == SweepPhase.Running && S.Queue.Count > 0 && S.Spec is not null)
        {
            var name = S.Queue[0];
            var executionId = Guid.NewGuid();
            RunStatus status;
            try
            {
                status = await Run(name).AssignAsync(executionId, silo.Label);
            }
            catch (InvalidOperationException)
            {
                // Not queued after all (it ended, e.g. a cancel that half failed): take its record as the truth, try the next.
                S.Queue.RemoveAt(0);
                S.Record((await Run(name).ObserveAsync(Guid.Empty)).Outcome);
                await WriteAsync();
                continue;
            }

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
                // Not claimed after all: the silo will not start it, so it must not look owned, here or in the run's record.
                S.Assignments.Remove(name);
                S.Runs[name] = previous;
                S.Queue.Insert(0, name);
                await TryAsync(() => Run(name).RequeueAsync(executionId));
                throw;
            }

            return new RunClaim(WorkOf(name), executionId);
        }

        return null;
    }

    public async Task CancelAsync()
    {
        if (S.Spec is null || S.Phase is not SweepPhase.Running)
        {
            return;
        }

        // Runs of dead silos first go back to the queue, so that their cancel below ends them at once
        // (e.g. `learnact cancel` on the store of a sweep process that was killed).
        await ReconcileAsync();

        // Recorded first and never rolled back: should a run's cancel fail below, the watch retries it.
        S.Phase = SweepPhase.Cancelled;
        S.Queue.Clear();
        await WriteAsync();
        await TryAsync(() => Board.RemoveAsync(Id));
        Watch(TimeSpan.Zero);
        foreach (var name in S.Unended().ToList())
        {
            // Queued runs end at once; executing ones are asked to stop and report their end after checkpointing.
            S.Runs[name] = await Run(name).CancelAsync();
        }

        await WriteAsync();
    }

    public async Task ReportEpochAsync(Guid executionId, RunStatus status, EpochReport epoch)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (S.IsAssigned(status.ConfigName, executionId))
        {
            S.RecordEpoch(status, epoch);
            await WriteAsync();
        }
    }

    public async Task ReportStatusAsync(Guid executionId, RunStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (S.IsAssigned(status.ConfigName, executionId))
        {
            S.Runs[status.ConfigName] = status;
            await WriteAsync();
        }
    }

    public async Task RunEndedAsync(Guid executionId, RunOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var name = outcome.Status.ConfigName;
        if (!S.IsAssigned(name, executionId))
        {
            // A stale execution, or an end the watch already recorded from the run's own record.
            return;
        }

        S.Assignments.Remove(name);
        if (S.Phase == SweepPhase.Running && outcome.Status.Phase == RunPhase.Cancelled)
        {
            // Cancelled just before the sweep was resumed: the resume wins.
            S.Record(await Run(name).EnqueueAsync(WorkOf(name)));
            S.Enqueue(name, first: true);
        }
        else
        {
            S.Record(outcome);
        }

        await WriteAsync();
        AssembleIfAllEnded();
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (NeedsWatching)
        {
            Watch(TimeSpan.Zero);
            return Task.CompletedTask;
        }

        return StopWatchingAsync();
    }

    /// <summary>Alive unless membership has declared the silo dead or does not list it (a silo of an earlier cluster).</summary>
    private bool IsAlive(string silo) =>
        membership.CurrentSnapshot.GetSiloStatus(SiloAddress.FromParsableString(silo)) is not (SiloStatus.Dead or SiloStatus.None);

    /// <summary>The watch: a timer while this activation lives, brought back by the reminder across silo deaths.</summary>
    private void Watch(TimeSpan dueTime)
    {
        _watch?.Dispose();
        _watch = this.RegisterGrainTimer(WatchAsync, new GrainTimerCreationOptions(dueTime, scheduling.Value.HostCheckInterval) { KeepAlive = true });
    }

    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        ProbeStore();
        if (S.Phase == SweepPhase.Running && S.Queue.Count > 0)
        {
            // Idempotent: a sweep whose board entry was lost (or that predates the board) is found again.
            await Board.AddAsync(Id);
        }

        await ReconcileAsync();
        if (!NeedsWatching)
        {
            await StopWatchingAsync();
        }
    }

    /// <summary>
    /// Brings the assignments in line with the cluster and the runs' own records: a run that ended without
    /// the sweep hearing of it is recorded; a run whose silo is gone, whose record no longer names its
    /// execution, or whose execution has been silent longer than the lease, goes back to the front of the
    /// queue (or, in a cancelled sweep, ends cancelled). A crash is not a failure, and no run stays
    /// "running" forever. Also queues any unfinished run that is neither queued nor assigned.
    /// </summary>
    private async Task ReconcileAsync()
    {
        var changed = false;
        if (S.Phase == SweepPhase.Running)
        {
            foreach (var name in S.Unended().Where(n => !S.Queue.Contains(n) && !S.Assignments.ContainsKey(n)).ToList())
            {
                S.Enqueue(name, first: true);
                changed = true;
            }
        }

        if (S.Assignments.Values.Any(a => membership.CurrentSnapshot.GetSiloStatus(SiloAddress.FromParsableString(a.Silo)) == SiloStatus.None))
        {
            // A silo that joined a moment ago may not be in this silo's snapshot yet: read the table before calling anyone dead.
            await membership.Refresh();
        }

        foreach (var (name, assignment) in S.Assignments.ToList())
        {
            var seen = await TryAsync(() => Run(name).ObserveAsync(assignment.ExecutionId));
            if (seen is null)
            {
                continue;
            }

            if (seen.Outcome.Status.IsTerminal)
            {
                S.Record(seen.Outcome);
                S.Assignments.Remove(name);
                changed = true;
                continue;
            }

            var silentTooLong = seen.Silence > scheduling.Value.ExecutionLease;
            if (IsAlive(assignment.Silo) && seen.OwnedByExecution && !silentTooLong)
            {
                continue;
            }

            LogRequeued(Id, name, assignment.Silo, silentTooLong ? "its execution has been silent too long" : "its silo is gone");
            var status = await Run(name).RequeueAsync(assignment.ExecutionId);
            S.Runs[name] = status;
            S.Assignments.Remove(name);
            if (S.Phase == SweepPhase.Running && !status.IsTerminal)
            {
                S.Enqueue(name, first: true);
            }

            changed = true;
        }

        if (S.Phase == SweepPhase.Cancelled)
        {
            // Unassigned runs of a cancelled sweep end now (retrying cancels that failed earlier).
            foreach (var name in S.Unended().Where(n => !S.Assignments.ContainsKey(n)).ToList())
            {
                S.Runs[name] = await Run(name).CancelAsync();
                changed = true;
            }
        }

        if (changed)
        {
            await WriteAsync();
        }

        AssembleIfAllEnded();
    }

    private async Task StopWatchingAsync()
    {
        _watch?.Dispose();
        _watch = null;
        if (await this.GetReminder(WatchReminder) is { } reminder)
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

    private void AssembleIfAllEnded()
    {
        if (S.Phase == SweepPhase.Running && S.AllRunsEnded && _assembly is null)
        {
            ScheduleAssembly(TimeSpan.Zero);
        }
    }

    /// <summary>As a grain timer, so that the assembly runs as a turn of its own rather than inside a run's report.</summary>
    private void ScheduleAssembly(TimeSpan dueTime)
    {
        _assembly?.Dispose();
        _assembly = this.RegisterGrainTimer(AssembleAsync, new GrainTimerCreationOptions(dueTime, Timeout.InfiniteTimeSpan) { KeepAlive = true });
    }

    /// <summary>Assembles the artifacts; when the store fails a write on the way, tries again shortly (assembling twice is harmless).</summary>
    private async Task AssembleAsync(CancellationToken cancellationToken)
    {
        var before = S.Phase;
        try
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
            LogFinished(Id, input.Runs.Count - input.MissingRuns.Count, input.Runs.Count, input.MissingRuns);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogAssemblyRetry(e, Id);
            S.Phase = before;
            ScheduleAssembly(AssemblyRetryDelay);
            return;
        }

        _assembly = null;
        await TryAsync(() => Board.RemoveAsync(Id));
        await StopWatchingAsync();
    }

    /// <summary>A best-effort call: its failure is logged and repaired later by the watch.</summary>
    private async Task<T?> TryAsync<T>(Func<Task<T>> call)
        where T : class
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogCallFailed(e, Id);
            return null;
        }
    }

    private async Task TryAsync(Func<Task> call) => await TryAsync(async () =>
    {
        await call();
        return string.Empty;
    });

    private int Order(string configName) => S.Spec!.Runs().ToList().FindIndex(r => r.ConfigName == configName);

    private RunWorkItem WorkOf(string configName) => RunWorkItem.For(S.Spec!, S.Spec!.Runs().Single(r => r.ConfigName == configName));

    private ITrainingRunGrain Run(string configName) => GrainFactory.GetGrain<ITrainingRunGrain>(new RunKey(Id, configName).ToString());

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {Sweep}: queueing {Count} of {Total} runs (the rest completed earlier or are training)")]
    private partial void LogStarting(string sweep, int count, int total);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweep {Sweep}: run {Run} was executing on silo {Silo}, but {Why}; queued again")]
    private partial void LogRequeued(string sweep, string run, string silo, string why);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {Sweep} finished: {Completed}/{Total} runs completed; missing {Missing}")]
    private partial void LogFinished(string sweep, int completed, int total, IReadOnlyList<string> missing);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sweep {Sweep}: assembling artifacts failed")]
    private partial void LogAssemblyFailed(Exception e, string sweep);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweep {Sweep}: the store failed during assembly; trying again shortly")]
    private partial void LogAssemblyRetry(Exception e, string sweep);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweep {Sweep}: a call failed; the watch repairs it later")]
    private partial void LogCallFailed(Exception e, string sweep);
}
