using LearnedActivation.Grains.Scheduling;

namespace LearnedActivation.Grains.Tests.Scheduling;

public sealed class ProgressFirstPolicyTests
{
    private readonly ProgressFirstPolicy _policy = new();

    [Fact]
    public void StartingServesRunsWithProgressFirstThenInSpecOrder()
    {
        QueuedRun[] queue = [new("d", 3, 0), new("b", 1, 2), new("a", 0, 0), new("c", 2, 2), new("e", 4, 5)];

        var arranged = _policy.Arrange(queue);

        Assert.Equal(["e", "b", "c", "a", "d"], arranged.Select(r => r.ConfigName));
    }

    [Fact]
    public void ARunThatLostItsExecutionRejoinsAtTheFront()
    {
        QueuedRun[] queue = [new("a", 0, 3), new("b", 1, 0)];

        Assert.Equal(0, _policy.Readmit(queue, new QueuedRun("c", 2, 0)));
    }

    [Fact]
    public void AClaimingSiloGetsTheFrontRunWhoeverItIs()
    {
        QueuedRun[] queue = [new("b", 1, 0), new("a", 0, 4)];

        Assert.Equal(0, _policy.Pick(queue, "silo-1@127.0.0.1:11112"));
        Assert.Equal(0, _policy.Pick(queue, "silo-0@127.0.0.1:11111"));
    }
}
