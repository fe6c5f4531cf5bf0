using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Scheduling;
using LearnedActivation.Grains.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LearnedActivation.Grains.Sweeps;

/// <summary>
/// Coordinates one sweep: queues its unfinished runs when started, hands them to silos that claim work
/// (<see cref="ClaimAsync"/>), takes the reports of each run's assigned execution (run grains never call
/// it), and while it has work keeps a watch (a timer, and a reminder that survives this grain's silo) over
/// the assignments (<see cref="AssignmentWatch"/>). When all runs have ended, <see cref="SweepAssembly"/>
/// builds the artifacts in a timer turn of its own. A shell: what each event does is <see cref="SweepState"/>'s decision, the queue
/// order the configured <see cref="IQueuePolicy"/>'s.
/// </summary>
[GrainType(StoreLayout.SweepGrainType)]
public sealed partial class SweepGrain(
    [PersistentState(StoreLayout.SweepStateName, StorageNames.Sweeps)] IPersistentState<SweepState> state,
    [PersistentState(StoreLayout.SweepRunsStateName, StorageNames.Sweeps)] IPersistentState<SweepRuns> runs,
    ISweepArtifactAssembler assembler,
    IBlobStore store,
    IGrainFactory grains,
    IClusterMembershipService membership,
    IOptions<RunSchedulingOptions> scheduling,
    IQueuePolicy policy,
    TimeProvider time,
    ILogger<SweepGrain> logger) : Grain, ISweepGrain, IRemindable
{
    private readonly SweepStoreHealth _storage = new(store, time);
    private readonly SweepAssembly _assembly = new(assembler, time, logger);
    private readonly AssignmentWatch _watch = new(grains, membership, scheduling.Value, policy, logger);

    /// <summary>The <see cref="SweepState.RunsChanged"/> count that <c>runs</c> holds in the store.</summary>
    private int _runsStored;

    private SweepState S => state.State;

    private string Id => this.GetPrimaryKeyString();

    private ISweepBoardGrain Board => GrainFactory.GetGrain<ISweepBoardGrain>(ISweepBoardGrain.Key);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (S.AdoptRuns(runs.State.Runs))
        {
            // A state of an earlier version: its statuses move to their own blob, then leave the sweep's.
            await StoreRunsAsync();
            await WriteAsync(cancellationToken);
        }

        _runsStored = S.RunsChanged;

        // Progress is not stored here: the runs that were executing (or ended unstored) know better than this state.
        await _watch.CatchUpAsync(Id, S);

        // An assembly that a crash interrupted is redone.
        if (S.Phase == SweepPhase.Assembling || S.ReadyToAssemble())
        {
            Assemble();
        }

        if (S.NeedsWatching())
        {
            // Re-activated after a crash: runs of silos that died with it go back to the queue right away.
            Watch(TimeSpan.Zero);
        }
    }

    public async Task<SweepStatus> StartAsync(SweepSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (S.StartRefusal(Id, spec) is { } refusal)
        {
            throw new ArgumentException(refusal, nameof(spec));
        }

        if (spec.Transfer is { } transfer)
        {
            // Listed with its source before it trains, so that the source's report can name it while it runs; written on every
            // start (idempotent), so a start that failed after this write, or a link lost, is made good by the next one.
            await store.PutAsync(StoreLayout.TransferLink(transfer.SourceSweepId, Id), System.Text.Encoding.UTF8.GetBytes(Id));
        }

        var now = time.GetUtcNow();
        var plan = S.PlanStart(spec, _watch.IsAlive);
        if (plan.Finished)
        {
            return S.ToStatus(Id, now);
        }

        await Task.WhenAll(plan.Keep.Select(kept => Run(kept.Key).KeepAsync(kept.Value)));
        LogStarting(Id, plan.Enqueue.Count, plan.Total);
        var outcomes = await Task.WhenAll(plan.Enqueue.Select(work => Run(work.Run.ConfigName).EnqueueAsync(work)));

        // On the board before the state says Running: a queue that no silo can find would never be served.
        await Board.AddAsync(Id);
        S.Started(spec, outcomes, policy, now);
        await WriteAsync();
        await StoreRunsAsync();
        await _watch.StartAsync(this, WatchAsync);
        if (S.ReadyToAssemble())
        {
            Assemble();
        }

        return S.ToStatus(Id, now);
    }

    public Task<SweepStatus> GetStatusAsync() => Task.FromResult(S.ToStatus(Id, time.GetUtcNow()) with { Storage = _storage.Condition() });

    public async Task<IReadOnlyDictionary<string, IReadOnlyList<EpochReport>>> GetCurvesAsync() =>
        (await RecordsAsync()).ToDictionary(r => r.Key, r => r.Value.Curve);

    public async Task<RunClaim?> ClaimAsync(WorkerSilo silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        while (S.NextClaim(policy, silo.Label) is { } name)
        {
            var executionId = Guid.NewGuid();
            RunStatus status;
            try
            {
                status = await Run(name).AssignAsync(executionId, silo.Label);
            }
            catch (InvalidOperationException)
            {
                // Not queued after all (it ended, e.g. a cancel that half failed): take its record as the truth, try the next.
                // A poison run that ran out of attempts ends here too (Failed): it may have been the last one.
                S.ClaimRefused(name);
                S.Record(await Run(name).GetOutcomeAsync());
                await WriteAsync();
                AssembleIfAllEnded();
                continue;
            }

            var claim = S.Claim(name, new RunAssignment(silo.Address.ToParsableString(), executionId, time.GetUtcNow()), status);
            try
            {
                await WriteAsync();
            }
            catch
            {
                // Not claimed after all: the silo will not start it, so it must not look owned, here or in the run's record.
                S.Undo(claim);
                await BestEffort.TryAsync(logger, Id, () => Run(name).RequeueAsync(executionId));
                throw;
            }

            return new RunClaim(S.WorkOf(name), executionId, status.LastCheckpointKey);
        }

        return null;
    }

    public async Task CancelAsync()
    {
        if (!S.Cancellable())
        {
            return;
        }

        // Runs of dead silos first go back to the queue, so that their cancel below ends them at once
        // (e.g. `learnact cancel` on the store of a sweep process that was killed).
        await ReconcileAsync();

        // Recorded first and never rolled back: should a run's cancel fail below, the watch retries it.
        var toStop = S.Cancel();
        await WriteAsync();
        await BestEffort.TryAsync(logger, Id, () => Board.RemoveAsync(Id));
        Watch(TimeSpan.Zero);
        await _watch.CancelAsync(Id, S, toStop);
        await WriteAsync();
        await StoreRunsAsync();
    }

    /// <summary>
    /// Not stored: the run's record has stored it already, and storing the sweep (every run's status) on each
    /// report would make a report cost grow with the sweep. What status shows is kept in memory; a sweep
    /// activated afresh catches up from its assigned runs' records (<see cref="AssignmentWatch"/>).
    /// </summary>
    public Task ReportEpochAsync(Guid executionId, RunStatus status, EpochReport epoch)
    {
        S.AcceptEpoch(executionId, status, epoch);
        return Task.CompletedTask;
    }

    /// <summary>Not stored, as an epoch report.</summary>
    public Task ReportStatusAsync(Guid executionId, RunStatus status)
    {
        S.AcceptStatus(executionId, status);
        return Task.CompletedTask;
    }

    public async Task RunEndedAsync(Guid executionId, RunOutcome outcome)
    {
        var decision = S.Ended(executionId, outcome);
        if (decision == RunEndDecision.Stale)
        {
            return;
        }

        if (decision == RunEndDecision.Requeue)
        {
            var name = outcome.Status.ConfigName;
            S.Readmit(await Run(name).EnqueueAsync(S.WorkOf(name)), policy);
        }

        await WriteAsync();
        AssembleIfAllEnded();
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (S.NeedsWatching())
        {
            _watch.ReminderFired();
            Watch(TimeSpan.Zero);
            return Task.CompletedTask;
        }

        return _watch.StopAsync(this);
    }

    /// <summary>The watch: a timer while this activation lives, brought back by the reminder across silo deaths.</summary>
    private void Watch(TimeSpan dueTime) => _watch.Arm(this, WatchAsync, dueTime);

    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        _storage.Probe(StoreLayout.SweepState(Id));
        if (S.HasQueuedWork())
        {
            // Idempotent: a sweep whose board entry was lost (or that predates the board) is found again.
            await Board.AddAsync(Id);
        }

        await ReconcileAsync();
        await StoreRunsAsync();
        if (!S.NeedsWatching())
        {
            await _watch.StopAsync(this);
        }
        else
        {
            // A start whose reminder could not be stored (see AssignmentWatch.KeepReminderAsync) stores it now; else a no-op.
            await _watch.KeepReminderAsync(this);
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        try
        {
            await StoreRunsAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Not lost: each run's record holds its status, and the next activation asks the runs it is unsure of.
            LogRunsNotStored(e, Id);
        }
    }

    /// <summary>The assignments in line with the cluster and the runs' records (see <see cref="AssignmentWatch"/>); then assembly if all runs ended.</summary>
    private async Task ReconcileAsync()
    {
        if (await _watch.ReconcileAsync(Id, S))
        {
            await WriteAsync();
        }

        AssembleIfAllEnded();
    }

    /// <summary>Writes the state; a failure is shown in status (until a write succeeds) and rethrown, so callers retry.</summary>
    private Task WriteAsync(CancellationToken cancellationToken = default) => _storage.WriteAsync(() => state.WriteStateAsync(cancellationToken));

    /// <summary>Stores the runs' statuses when they changed since last stored (see <see cref="SweepRuns"/> for when that is).</summary>
    private async Task StoreRunsAsync()
    {
        var changed = S.RunsChanged;
        if (changed != _runsStored)
        {
            await _storage.WriteAsync(() => runs.WriteStateAsync());
            _runsStored = changed;
        }
    }

    /// <summary>The statuses, then the state: what an assembly stores at each step.</summary>
    private async Task WriteBothAsync(CancellationToken cancellationToken)
    {
        await StoreRunsAsync();
        await WriteAsync(cancellationToken);
    }

    private void AssembleIfAllEnded()
    {
        if (S.ReadyToAssemble() && !_assembly.Scheduled)
        {
            Assemble();
        }
    }

    private void Assemble() => _assembly.Schedule(this, S, Id, WriteBothAsync, FinishedAsync, RecordsAsync);

    /// <summary>Every run's own record (curve and artifact keys live there, not in the sweep's state), keyed by configuration name.</summary>
    private async Task<IReadOnlyDictionary<string, RunOutcome>> RecordsAsync()
    {
        if (S.Spec is null)
        {
            return new Dictionary<string, RunOutcome>();
        }

        var names = S.Spec.Runs().Select(r => r.ConfigName).ToList();
        var outcomes = await Task.WhenAll(names.Select(n => Run(n).GetOutcomeAsync()));
        return names.Zip(outcomes).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
    }

    /// <summary>A finished sweep leaves the board and needs no watch.</summary>
    private async Task FinishedAsync()
    {
        await BestEffort.TryAsync(logger, Id, () => Board.RemoveAsync(Id));
        await _watch.StopAsync(this);
    }

    private ITrainingRunGrain Run(string configName) => grains.RunGrain(Id, configName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweep {Sweep}: the runs' statuses could not be stored on deactivation; the next activation asks the runs")]
    private partial void LogRunsNotStored(Exception e, string sweep);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {Sweep}: queueing {Count} of {Total} runs (the rest completed earlier or are training)")]
    private partial void LogStarting(string sweep, int count, int total);
}
