using System.Net;
using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Tests.Support;

namespace LearnedActivation.Grains.Tests.Cluster;

/// <summary>
/// A run whose every execution is lost (as when it crashes or kills the silo it lands on) gets
/// Scheduling:MaxAttempts (3) executions and then ends Failed with how the last was lost; the sweep's
/// other runs are still served. Executions are claimed for a silo that is not in the cluster, so that the
/// sweep's watch finds each one's silo gone, exactly as after a kill -9.
/// </summary>
[Collection(ClusterGroup.Name)]
public sealed class PoisonRunTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task ARunWhoseExecutionsAreLostEndsFailedAfterThreeAttemptsAndTheOthersGoOn()
    {
        await using var cluster = TestSilos.Build(1, _root.Path, new FakeTrainingBackend(), acceptsRuns: false);
        await cluster.DeployAsync();
        var spec = TestSilos.Spec("poison", epochs: 2);
        var (poison, healthy) = (spec.Runs()[0].ConfigName, spec.Runs()[1].ConfigName);
        var sweep = cluster.Client.GetGrain<ISweepGrain>(spec.Id);
        var run = cluster.Client.GetGrain<ITrainingRunGrain>(new RunKey(spec.Id, poison).ToString());
        await sweep.StartAsync(spec);
        var ghost = new WorkerSilo(SiloAddress.New(IPAddress.Loopback, 1, 1), "ghost");

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var claim = await sweep.ClaimAsync(ghost);
            Assert.Equal(poison, claim!.Work.Run.ConfigName);
            await Poll.UntilAsync(() => run.GetStatusAsync(), s => s.HostSilo is null, $"the sweep to find attempt {attempt} of {poison} lost and queue it again");
        }

        var next = await sweep.ClaimAsync(ghost);

        Assert.Equal(healthy, next!.Work.Run.ConfigName);
        var failed = await run.GetStatusAsync();
        Assert.Equal(RunPhase.Failed, failed.Phase);
        Assert.Equal(3, failed.Attempts);
        Assert.StartsWith("gave up after 3 attempts (Scheduling:MaxAttempts = 3); the last: its execution on ghost was lost", failed.Error, StringComparison.Ordinal);
        var status = await sweep.GetStatusAsync();
        Assert.Equal(RunPhase.Failed, status.Runs.Single(r => r.ConfigName == poison).Phase);
        Assert.Equal(SweepPhase.Running, status.Phase);
    }
}
