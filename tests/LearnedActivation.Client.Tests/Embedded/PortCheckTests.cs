using LearnedActivation.Client.Embedded;

namespace LearnedActivation.Client.Tests.Embedded;

/// <summary>The ports a status-only silo takes: distinct, and free for it to bind.</summary>
public sealed class PortCheckTests
{
    [Fact]
    public void FreePortsAreDistinctAndFree()
    {
        var ports = PortCheck.FreePorts(2);

        Assert.Equal(2, ports.Distinct().Count());
        Assert.All(ports, p => PortCheck.EnsureFree(p, "TEST_PORT"));
    }
}
