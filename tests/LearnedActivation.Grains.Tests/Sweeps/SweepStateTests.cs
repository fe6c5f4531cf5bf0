using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Scheduling;
using LearnedActivation.Grains.Storage;
using LearnedActivation.Grains.Sweeps;
using LearnedActivation.Grains.Tests.Support;
using LearnedActivation.Model.Configuration;

namespace LearnedActivation.Grains.Tests.Sweeps;

/// <summary>
/// The sweep's decisions as plain code: start and resume, the claim queue, cancel and its withdrawal,
/// progress intake, requeueing and completion. Runs of the spec, in spec order: tanh_small_small,
/// tanh_small_medium, relu_small_small, relu_small_medium.
/// </summary>
public sealed class SweepStateTests
{
    private const string TanhS = "tanh_small_small";
    private const string TanhM = "tanh_small_medium";
    private const string ReluS = "relu_small_small";
    private const string ReluM = "relu_small_medium";
    private static readonly DateTimeOffset T0 = DateTimeOffset.UnixEpoch;
    private static readonly IQueuePolicy Policy = new ProgressFirstPolicy();
    private readonly SweepSpec _spec = TestSilos.Spec("s", 4, 1, SizePreset.Small, SizePreset.Medium);

    [Fact]
    public void AFreshSweepQueuesEveryRunInSpecOrder()
    {
        var plan = new SweepState().PlanStart(_spec, _ => true);

        Assert.False(plan.Finished);
        Assert.Empty(plan.Keep);
        Assert.Equal([TanhS, TanhM, ReluS, ReluM], plan.Enqueue.Select(w => w.Run.ConfigName));
        Assert.Equal(4, plan.Total);
    }

    [Fact]
    public void ResumingKeepsRunsOnLiveSilosAndQueuesTheRestButNotTheCompleted()
    {
        var state = Running();
        var onLive = Assign(state, TanhS, "live");
        Assign(state, TanhM, "dead");
        state.Ended(state.Assignments[TanhM].ExecutionId, Outcome(TanhM, RunPhase.Failed, 2));
        Assign(state, ReluS, "dead");
        state.EndedUnheard(Outcome(ReluM, RunPhase.Completed, 4));

        var plan = state.PlanStart(_spec, silo => silo == Silo("live"));

        Assert.Equal(new Dictionary<string, Guid> { [TanhS] = onLive }, plan.Keep);
        Assert.Equal([TanhM, ReluS], plan.Enqueue.Select(w => w.Run.ConfigName));
        Assert.DoesNotContain(ReluS, plan.Keep.Keys);
    }

    [Fact]
    public void AFinishedSweepWhoseRunsAllCompletedHasNothingToDoUnlessItsAssemblyFailed()
    {
        var state = Running();
        foreach (var name in Names())
        {
            state.EndedUnheard(Outcome(name, RunPhase.Completed, 4));
        }

        state.Assembled(state.BeginAssembly("s", T0), new AssemblyResult(["s/artifacts/results.md"], null), T0);
        Assert.True(state.PlanStart(_spec, _ => true).Finished);

        state.AssemblyError = "IOException: disk full";
        var again = state.PlanStart(_spec, _ => true);
        Assert.False(again.Finished);
        Assert.Empty(again.Enqueue);
    }

    [Fact]
    public void StartingArrangesTheQueueByProgressThenSpecOrderAndLeavesCompletedRunsOut()
    {
        var state = new SweepState();

        state.Started(_spec, [Outcome(TanhS, RunPhase.Queued, 0), Outcome(TanhM, RunPhase.Queued, 2), Outcome(ReluS, RunPhase.Completed, 4), Outcome(ReluM, RunPhase.Queued, 0)], Policy, T0);

        Assert.Equal([TanhM, TanhS, ReluM], state.Queue);
        Assert.Equal(SweepPhase.Running, state.Phase);
        Assert.Equal(RunPhase.Completed, state.Runs[ReluS].Phase);
    }

    [Fact]
    public void ResumingKeepsTheFirstStartTimeAndClearsTheLastEnd()
    {
        var state = Running();
        state.FinishedAt = T0.AddHours(1);
        state.AssemblyError = "boom";

        state.Started(_spec, [], Policy, T0.AddHours(2));

        Assert.Equal(T0, state.StartedAt);
        Assert.Null(state.FinishedAt);
        Assert.Null(state.AssemblyError);
    }

    [Fact]
    public void APolicyThatLosesARunIsRefused()
    {
        var state = new SweepState();

        var error = Assert.Throws<InvalidOperationException>(() => state.Started(_spec, [Outcome(TanhS, RunPhase.Queued, 0), Outcome(ReluS, RunPhase.Queued, 0)], new DroppingPolicy(), T0));

        Assert.Contains(nameof(DroppingPolicy), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AClaimTakesThePoliciesPickAndAssignsIt()
    {
        var state = Running();
        Assert.Equal(TanhS, state.NextClaim(Policy, "silo"));
        var name = state.NextClaim(new LastPolicy(), "silo")!;
        Assert.Equal(ReluM, name);

        var execution = Guid.NewGuid();
        state.Claim(name, new RunAssignment(Silo("a"), execution, T0), Status(name, RunPhase.Queued, 0) with { HostSilo = "a" });

        Assert.Equal([TanhS, TanhM, ReluS], state.Queue);
        Assert.True(state.IsAssigned(name, execution));
        Assert.Equal("a", state.Runs[name].HostSilo);
    }

    [Fact]
    public void AClaimThatCannotBeStoredIsUndoneToWhereItWas()
    {
        var state = Running();
        var before = state.Runs[TanhM];
        var execution = Guid.NewGuid();

        var claim = state.Claim(TanhM, new RunAssignment(Silo("a"), execution, T0), before with { HostSilo = "a" });
        state.Undo(claim);

        Assert.Equal([TanhS, TanhM, ReluS, ReluM], state.Queue);
        Assert.False(state.IsAssigned(TanhM, execution));
        Assert.Empty(state.Assignments);
        Assert.Same(before, state.Runs[TanhM]);
    }

    [Fact]
    public void NothingIsClaimedFromASweepThatIsNotRunningOrHasAnEmptyQueue()
    {
        Assert.Null(new SweepState().NextClaim(Policy, "silo"));
        var state = Running();
        state.Cancel();
        Assert.Null(state.NextClaim(Policy, "silo"));

        var drained = Running();
        foreach (var name in Names())
        {
            drained.ClaimRefused(name);
        }

        Assert.Null(drained.NextClaim(Policy, "silo"));
        Assert.False(drained.HasQueuedWork());
    }

    [Fact]
    public void CancellingEmptiesTheQueueAndNamesEveryRunThatHasNotEnded()
    {
        var state = Running();
        Assign(state, TanhS, "a");
        state.EndedUnheard(Outcome(ReluM, RunPhase.Completed, 4));

        Assert.True(state.Cancellable());
        var toStop = state.Cancel();

        Assert.Equal([TanhS, TanhM, ReluS], toStop);
        Assert.Empty(state.Queue);
        Assert.Equal(SweepPhase.Cancelled, state.Phase);
        Assert.False(state.Cancellable());
    }

    [Fact]
    public void ACancelledSweepStillEndsTheRunsNoExecutionOwnsButLeavesExecutingOnesToReport()
    {
        var state = Running();
        Assign(state, TanhS, "a");
        Assert.Empty(state.StillToCancel());
        state.Cancel();
        state.RecordStatus(Status(TanhM, RunPhase.Cancelled, 0));

        Assert.Equal([ReluS, ReluM], state.StillToCancel());
        Assert.True(state.NeedsWatching());
    }

    [Fact]
    public void AnExecutionThatEndsCancelledInACancelledSweepIsRecordedCancelled()
    {
        var state = Running();
        var execution = Assign(state, TanhS, "a");
        state.Cancel();

        var decision = state.Ended(execution, Outcome(TanhS, RunPhase.Cancelled, 2));

        Assert.Equal(RunEndDecision.Recorded, decision);
        Assert.Equal(RunPhase.Cancelled, state.Runs[TanhS].Phase);
        Assert.Empty(state.Assignments);
        Assert.Empty(state.Queue);
    }

    [Fact]
    public void ResumingRightAfterACancelKeepsExecutingRunsAndRequeuesOnesThatEndedCancelledMeanwhile()
    {
        var state = Running();
        var stillExecuting = Assign(state, TanhS, "a");
        var endsLate = Assign(state, TanhM, "a");
        state.Cancel();

        // The resume arrives before either execution reported its end: both keep their execution.
        var plan = state.PlanStart(_spec, _ => true);
        Assert.Equal([TanhM, TanhS], plan.Keep.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(stillExecuting, plan.Keep[TanhS]);
        state.Started(_spec, plan.Enqueue.Select(w => Outcome(w.Run.ConfigName, RunPhase.Queued, 0)), Policy, T0);

        // One of them had already heard the cancel and ends cancelled after the resume: the resume wins.
        Assert.Equal(RunEndDecision.Requeue, state.Ended(endsLate, Outcome(TanhM, RunPhase.Cancelled, 2)));
        Assert.False(state.IsAssigned(TanhM, endsLate));
        state.Readmit(Outcome(TanhM, RunPhase.Queued, 2), Policy);

        Assert.Equal(TanhM, state.Queue[0]);
        Assert.Equal(RunPhase.Queued, state.Runs[TanhM].Phase);
        Assert.True(state.IsAssigned(TanhS, stillExecuting));
        Assert.Equal(SweepPhase.Running, state.Phase);
    }

    [Fact]
    public void ReportsOfAStaleExecutionAreRefusedAndChangeNothing()
    {
        var state = Running();
        var current = Assign(state, TanhS, "a");
        var stale = Guid.NewGuid();
        var before = state.Runs[TanhS];

        Assert.False(state.AcceptEpoch(stale, Status(TanhS, RunPhase.Running, 1), Epoch(1)));
        Assert.False(state.AcceptStatus(stale, Status(TanhS, RunPhase.Running, 0)));
        Assert.Equal(RunEndDecision.Stale, state.Ended(stale, Outcome(TanhS, RunPhase.Completed, 4)));

        Assert.Same(before, state.Runs[TanhS]);
        Assert.True(state.IsAssigned(TanhS, current));
    }

    [Fact]
    public void EpochsOfTheAssignedExecutionUpdateItsStatus()
    {
        var state = Running();
        var execution = Assign(state, TanhS, "a");
        foreach (var e in new[] { 1, 2, 3 })
        {
            Assert.True(state.AcceptEpoch(execution, Status(TanhS, RunPhase.Running, e), Epoch(e)));
        }

        // Resumed from the checkpoint of epoch 1: epoch 2 is trained again.
        Assert.True(state.AcceptEpoch(execution, Status(TanhS, RunPhase.Running, 2), Epoch(2, loss: 0.1)));

        Assert.Equal(2, state.Runs[TanhS].Epoch);
        Assert.True(state.AcceptStatus(execution, Status(TanhS, RunPhase.Running, 2) with { HostSilo = "b" }));
        Assert.Equal("b", state.Runs[TanhS].HostSilo);
    }

    [Fact]
    public void ARunTakenFromItsExecutionGoesBackToTheFrontWithItsProgress()
    {
        var state = Running();
        var execution = Assign(state, ReluM, "dead");

        state.Requeued(Status(ReluM, RunPhase.Queued, 2), Policy);

        Assert.Equal([ReluM, TanhS, TanhM, ReluS], state.Queue);
        Assert.False(state.IsAssigned(ReluM, execution));
        Assert.Equal(2, state.Runs[ReluM].Epoch);
    }

    [Fact]
    public void ARunTakenFromItsExecutionIsNotQueuedWhenItEndedOrTheSweepWasCancelled()
    {
        var state = Running();
        Assign(state, ReluM, "dead");
        state.Requeued(Status(ReluM, RunPhase.Completed, 4), Policy);
        Assert.DoesNotContain(ReluM, state.Queue);

        var cancelled = Running();
        Assign(cancelled, TanhS, "dead");
        cancelled.Cancel();
        cancelled.Requeued(Status(TanhS, RunPhase.Queued, 1), Policy);
        Assert.Empty(cancelled.Queue);
        Assert.Empty(cancelled.Assignments);
        Assert.Contains(TanhS, cancelled.StillToCancel());
    }

    [Fact]
    public void AnEndTheSweepDidNotHearOfIsRecordedAndTheRunUnassigned()
    {
        var state = Running();
        Assign(state, TanhS, "a");

        state.EndedUnheard(new RunOutcome(Status(TanhS, RunPhase.Completed, 4), [Epoch(1), Epoch(2)], ["s/runs/tanh_small_small/activation.txt"]));

        Assert.Empty(state.Assignments);
        Assert.Equal(RunPhase.Completed, state.Runs[TanhS].Phase);
    }

    [Fact]
    public void ReportsChangeNothingStoredWhileClaimsAndEndsChangeTheStatusesToStore()
    {
        var state = Running();
        var changes = state.RunsChanged;
        var execution = Assign(state, TanhS, "a");
        Assert.Equal(changes + 1, state.RunsChanged);
        var stored = Json(state);
        for (var e = 1; e <= 50; e++)
        {
            Assert.True(state.AcceptEpoch(execution, Status(TanhS, RunPhase.Running, e) with { Latest = Epoch(e) }, Epoch(e)));
        }

        Assert.True(state.AcceptStatus(execution, Status(TanhS, RunPhase.Running, 50)));

        // The sweep's own state holds no status and no curve; the statuses to store did not change either.
        Assert.Equal(stored, Json(state));
        Assert.DoesNotContain("\"runs\"", stored, StringComparison.Ordinal);
        Assert.Equal(changes + 1, state.RunsChanged);
        Assert.Equal(50, state.Runs[TanhS].Epoch);

        state.Ended(execution, Outcome(TanhS, RunPhase.Completed, 50));
        Assert.Equal(changes + 2, state.RunsChanged);
    }

    [Fact]
    public void RunsTheSweepIsUnsureOfAreTheAssignedAndTheUnendedStrays()
    {
        var state = Running();
        Assign(state, TanhS, "a");
        state.ClaimRefused(ReluM);

        Assert.Equal([TanhS, ReluM], state.Uncertain());
    }

    [Fact]
    public void TheWatchCatchesUpWithNewerStatusesOfItsRunsOnly()
    {
        var state = Running();
        Assign(state, TanhS, "a");
        var newer = Status(TanhS, RunPhase.Running, 3) with { UpdatedAt = T0.AddMinutes(1) };

        state.Observed(newer);
        state.Observed(Status(TanhS, RunPhase.Running, 1) with { UpdatedAt = T0.AddSeconds(30) });

        Assert.Same(newer, state.Runs[TanhS]);
    }

    [Fact]
    public void TheAssemblerGetsCurvesAndArtifactsFromTheRunsRecords()
    {
        var state = Running();
        foreach (var name in Names())
        {
            state.EndedUnheard(Outcome(name, RunPhase.Completed, 4));
        }

        var records = new Dictionary<string, RunOutcome>
        {
            [TanhS] = new(Status(TanhS, RunPhase.Completed, 4), [Epoch(1), Epoch(2)], ["s/runs/tanh_small_small/activation.txt"]),
        };
        var input = state.BeginAssembly("s", T0, records);

        var tanh = input.Runs.Single(r => r.Definition.ConfigName == TanhS);
        Assert.Equal([1, 2], tanh.Curve.Select(e => e.Epoch));
        Assert.Equal(["s/runs/tanh_small_small/activation.txt"], tanh.ArtifactKeys);
        Assert.Empty(input.Runs.Single(r => r.Definition.ConfigName == ReluM).Curve);
    }

    [Fact]
    public void StraysNeitherQueuedNorAssignedAreQueuedAgainOnlyWhileTheSweepRuns()
    {
        var state = Running();
        state.ClaimRefused(TanhM);
        state.ClaimRefused(ReluS);
        Assign(state, TanhS, "a");

        Assert.True(state.ReadmitStrays(Policy));
        Assert.Equal([ReluS, TanhM, ReluM], state.Queue);
        Assert.False(state.ReadmitStrays(Policy));

        var cancelled = Running();
        cancelled.Cancel();
        Assert.False(cancelled.ReadmitStrays(Policy));
        Assert.Empty(cancelled.Queue);
    }

    [Fact]
    public void ArtifactsAreDueOnceEveryRunOfARunningSweepHasEnded()
    {
        var state = Running();
        foreach (var name in Names().SkipLast(1))
        {
            state.EndedUnheard(Outcome(name, RunPhase.Completed, 4));
        }

        Assert.False(state.ReadyToAssemble());
        state.EndedUnheard(Outcome(ReluM, RunPhase.Failed, 1));
        Assert.True(state.ReadyToAssemble());

        var input = state.BeginAssembly("s", T0);
        Assert.Equal(SweepPhase.Assembling, state.Phase);
        Assert.False(state.ReadyToAssemble());
        Assert.Equal([ReluM], input.MissingRuns);
    }

    [Fact]
    public void AFinishedAssemblyRecordsItsKeysOrItsErrorKeepingEarlierKeys()
    {
        var state = Running();
        var input = state.BeginAssembly("s", T0);
        state.Assembled(input, new AssemblyResult(["s/artifacts/a.png"], null), T0.AddMinutes(1));
        Assert.Equal(SweepPhase.Finished, state.Phase);
        Assert.Equal(["s/artifacts/a.png"], state.ArtifactKeys);
        Assert.Equal(T0.AddMinutes(1), state.FinishedAt);
        Assert.False(state.NeedsWatching());

        state.Assembled(input, new AssemblyResult([], "IOException: full"), T0.AddMinutes(2));

        Assert.Equal(["s/artifacts/a.png"], state.ArtifactKeys);
        Assert.Equal("IOException: full", state.AssemblyError);
        Assert.Equal(Names(), state.MissingRuns);
    }

    private static string Json(SweepState state) => System.Text.Json.JsonSerializer.Serialize(state, BlobGrainStorage.JsonOptions);

    private static string Silo(string name) => name switch
    {
        "live" or "a" => SiloAddress.New(System.Net.IPAddress.Loopback, 11111, 1).ToParsableString(),
        _ => SiloAddress.New(System.Net.IPAddress.Loopback, 11112, 2).ToParsableString(),
    };

    private static Guid Assign(SweepState state, string name, string silo)
    {
        var execution = Guid.NewGuid();
        state.Claim(name, new RunAssignment(Silo(silo), execution, T0), Status(name, RunPhase.Running, state.Runs[name].Epoch));
        return execution;
    }

    private static RunStatus Status(string name, RunPhase phase, int epoch) =>
        RunStatus.NotStarted(new RunKey("s", name), 4, T0) with { Phase = phase, Epoch = epoch };

    private static RunOutcome Outcome(string name, RunPhase phase, int epoch) => new(Status(name, phase, epoch), [], []);

    private static EpochReport Epoch(int epoch, double loss = 1.0) => new(epoch, loss, 1.0, 0.5, 0.5, 1.0);

    private List<string> Names() => [.. _spec.Runs().Select(r => r.ConfigName)];

    /// <summary>A sweep started afresh: every run queued at epoch 0, in spec order.</summary>
    private SweepState Running()
    {
        var state = new SweepState();
        state.Started(_spec, Names().Select(n => Outcome(n, RunPhase.Queued, 0)), Policy, T0);
        return state;
    }

    private sealed class LastPolicy : IQueuePolicy
    {
        public IReadOnlyList<QueuedRun> Arrange(IReadOnlyList<QueuedRun> queue) => queue;

        public int Readmit(IReadOnlyList<QueuedRun> queue, QueuedRun run) => queue.Count;

        public int Pick(IReadOnlyList<QueuedRun> queue, string silo) => queue.Count - 1;
    }

    private sealed class DroppingPolicy : IQueuePolicy
    {
        public IReadOnlyList<QueuedRun> Arrange(IReadOnlyList<QueuedRun> queue) => [.. queue.Skip(1)];

        public int Readmit(IReadOnlyList<QueuedRun> queue, QueuedRun run) => 0;

        public int Pick(IReadOnlyList<QueuedRun> queue, string silo) => 0;
    }
}
