using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Sweeps;

namespace LearnedActivation.Grains.Tests.Sweeps;

public sealed class AssignmentCheckTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    [Fact]
    public void AnOwnedRunOnALiveSiloHeardWithinTheLeaseIsLeftAlone() =>
        Assert.Equal(AssignmentVerdict.Healthy, AssignmentCheck.Judge(Seen(RunPhase.Running, owned: true, Lease), siloAlive: true, Lease));

    [Theory]
    [InlineData(RunPhase.Completed)]
    [InlineData(RunPhase.Failed)]
    [InlineData(RunPhase.Cancelled)]
    public void ARunThatEndedIsRecordedEvenWhenItsSiloIsGoneOrSilent(RunPhase phase) =>
        Assert.Equal(AssignmentVerdict.Ended, AssignmentCheck.Judge(Seen(phase, owned: false, Lease * 2), siloAlive: false, Lease));

    [Fact]
    public void ARunWhoseSiloIsDeadIsRequeued() =>
        Assert.Equal(AssignmentVerdict.SiloGone, AssignmentCheck.Judge(Seen(RunPhase.Running, owned: true, TimeSpan.Zero), siloAlive: false, Lease));

    [Fact]
    public void ARunSilentPastTheLeaseIsRequeuedThoughItsSiloLives()
    {
        Assert.Equal(AssignmentVerdict.SilentTooLong, AssignmentCheck.Judge(Seen(RunPhase.Queued, owned: true, Lease + TimeSpan.FromTicks(1)), siloAlive: true, Lease));
        Assert.Equal(AssignmentVerdict.SilentTooLong, AssignmentCheck.Judge(Seen(RunPhase.Running, owned: true, Lease * 2), siloAlive: false, Lease));
    }

    [Fact]
    public void ARunWhoseRecordNamesAnotherExecutionIsRequeued() =>
        Assert.Equal(AssignmentVerdict.Disowned, AssignmentCheck.Judge(Seen(RunPhase.Running, owned: false, TimeSpan.Zero), siloAlive: true, Lease));

    [Fact]
    public void OnlyRequeueVerdictsHaveAReason()
    {
        Assert.Contains("silent", AssignmentCheck.Reason(AssignmentVerdict.SilentTooLong), StringComparison.Ordinal);
        Assert.Contains("silo is gone", AssignmentCheck.Reason(AssignmentVerdict.SiloGone), StringComparison.Ordinal);
        Assert.Contains("another execution", AssignmentCheck.Reason(AssignmentVerdict.Disowned), StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => AssignmentCheck.Reason(AssignmentVerdict.Healthy));
    }

    private static RunObservation Seen(RunPhase phase, bool owned, TimeSpan silence)
    {
        var status = RunStatus.NotStarted(new RunKey("s", "tanh_small_small"), 4, DateTimeOffset.UnixEpoch) with { Phase = phase };
        return new RunObservation(new RunOutcome(status, [], []), owned, silence);
    }
}
