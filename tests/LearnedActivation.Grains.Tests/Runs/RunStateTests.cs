using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Runs;
using LearnedActivation.Grains.Tests.Support;

namespace LearnedActivation.Grains.Tests.Runs;

public sealed class RunStateTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.UnixEpoch;

    [Fact]
    public void ResumingDropsTheMetricsOfEpochsThatWillBeTrainedAgain()
    {
        var state = Running(epochs: 3);

        state.Requeue(T0);
        state.Assign(Guid.NewGuid(), "other-silo", T0);
        state.Started(resumedFromEpoch: 2, "s/runs/tanh_small_small/checkpoints/epoch-0002.ckpt", T0);

        Assert.Equal([1, 2], state.Curve.Select(e => e.Epoch));
        Assert.Equal(RunPhase.Running, state.Status!.Phase);
        Assert.Equal(2, state.Status.Epoch);
        Assert.Equal("other-silo", state.Status.HostSilo);
        Assert.Equal(2, state.Status.Latest!.Epoch);
    }

    [Fact]
    public void EpochsSummariseIntoLatestBestAndTime()
    {
        var state = Running(epochs: 3);

        Assert.Equal(3, state.Status!.Epoch);
        Assert.Equal(0.9, state.Status.BestValAccuracy);
        Assert.Equal(0.7, state.Status.Latest!.ValAccuracy);
        Assert.Equal(3.0, state.Status.TrainingSeconds, precision: 9);
        Assert.Equal("ckpt-3", state.Status.LastCheckpointKey);
    }

    [Fact]
    public void EndingKeepsTheLastCheckpointWhenNoNewOneCame()
    {
        var state = Running(epochs: 2);

        state.Ended(new RunEnd(RunPhase.Failed, 2, null, null, [], "boom"), T0.AddMinutes(1));

        Assert.True(state.IsTerminal);
        Assert.Equal("ckpt-2", state.Status!.LastCheckpointKey);
        Assert.Equal("boom", state.Status.Error);
        Assert.Equal(T0, state.Status.LastCheckpointAt);
    }

    [Fact]
    public void QueueingAgainClearsTheErrorAndKeepsTheProgress()
    {
        var state = Running(epochs: 1);
        state.Ended(new RunEnd(RunPhase.Failed, 1, null, null, [], "boom"), T0);

        state.Enqueue(state.Work!, T0);

        Assert.Equal(RunPhase.Queued, state.Status!.Phase);
        Assert.Null(state.Status.Error);
        Assert.Null(state.ExecutionId);
        Assert.Equal(1, state.Status.Epoch);
        Assert.Equal("ckpt-1", state.Status.LastCheckpointKey);
    }

    [Fact]
    public void RequeueingDisownsTheExecutionButKeepsTheCheckpoint()
    {
        var state = Running(epochs: 2);

        state.Requeue(T0);

        Assert.Null(state.ExecutionId);
        Assert.Equal(RunPhase.Queued, state.Status!.Phase);
        Assert.Null(state.Status.HostSilo);
        Assert.Equal(2, state.Status.Epoch);
        Assert.Equal("ckpt-2", state.Status.LastCheckpointKey);
    }

    [Fact]
    public void EveryAssignedExecutionCountsAsAnAttemptAndThreeLostOnesExhaustTheLimit()
    {
        var state = Running(epochs: 1);
        Assert.Equal(1, state.Attempts);
        Assert.False(state.AttemptsExhausted(3));

        state.Requeue(T0);
        state.Assign(Guid.NewGuid(), "silo-b", T0);
        state.Requeue(T0);
        state.Assign(Guid.NewGuid(), "silo-c", T0);
        state.Requeue(T0);

        Assert.Equal(3, state.Attempts);
        Assert.Equal(3, state.Status!.Attempts);
        Assert.True(state.AttemptsExhausted(3));
        Assert.False(state.AttemptsExhausted(4));
    }

    [Fact]
    public void APoisonRunEndsFailedWithHowItsLastExecutionWasLost()
    {
        var state = Running(epochs: 2);
        state.Requeue(T0);

        state.GiveUp(1, T0.AddMinutes(1));

        Assert.True(state.IsTerminal);
        Assert.Equal(RunPhase.Failed, state.Status!.Phase);
        Assert.Null(state.ExecutionId);
        Assert.Equal("gave up after 1 attempts (Scheduling:MaxAttempts = 1); the last: its execution on silo was lost after epoch 2 (the silo died or stopped answering)", state.Status.Error);
        Assert.Equal("ckpt-2", state.Status.LastCheckpointKey);
    }

    [Fact]
    public void StartingTheSweepAgainGivesTheRunItsAttemptsBack()
    {
        var state = Running(epochs: 1);
        state.Requeue(T0);
        state.GiveUp(1, T0);

        state.Enqueue(state.Work!, T0);

        Assert.Equal(0, state.Attempts);
        Assert.Equal(0, state.Status!.Attempts);
        Assert.Null(state.LastLoss);
        Assert.Equal(RunPhase.Queued, state.Status!.Phase);
    }

    private static RunState Running(int epochs)
    {
        var spec = TestSilos.Spec("s", epochs: 5);
        var state = new RunState();
        state.Enqueue(RunWorkItem.For(spec, spec.Runs()[0]), T0);
        state.Assign(Guid.NewGuid(), "silo", T0);
        state.Started(0, null, T0);
        double[] accuracy = [0.6, 0.9, 0.7];
        for (var e = 1; e <= epochs; e++)
        {
            state.Epoch(new EpochReport(e, 1.0 / e, 1.0 / e, accuracy[e - 1], 0.5, 1.0), $"ckpt-{e}", T0);
        }

        return state;
    }
}
