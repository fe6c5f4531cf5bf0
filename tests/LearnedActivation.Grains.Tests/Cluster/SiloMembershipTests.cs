using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Storage;
using LearnedActivation.Tests;
using LearnedActivation.Grains.Tests.Support;
using Orleans.TestingHost;

namespace LearnedActivation.Grains.Tests.Cluster;

/// <summary>
/// Silos coming and going mid-sweep, each test on a cluster of its own (in-process silos, one shared
/// file store, fake training): a silo that joins takes queued runs; a killed silo's run resumes from its
/// checkpoint on a survivor; a claim that never starts is queued again; status shows a storage outage.
/// </summary>
[Collection(ClusterGroup.Name)]
public sealed class SiloMembershipTests : IDisposable
{
    private readonly TempDirectory _root = new();
    private readonly FakeTrainingBackend _backend = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task SiloThatJoinsMidSweepTakesQueuedRuns()
    {
        var spec = TestSilos.Spec("join", epochs: 2);
        var gate = _backend.Hold(spec.Id, beforeEpoch: 2);
        await using var cluster = TestSilos.Build(1, _root.Path, _backend, slots: 1);
        await cluster.DeployAsync();
        var sweep = cluster.Client.GetGrain<ISweepGrain>(spec.Id);
        await sweep.StartAsync(spec);
        var alone = await Poll.UntilAsync(() => sweep.GetStatusAsync(), s => s.Totals.Running == 1 && s.Totals.Queued == 1, "one run training and one queued on the single silo");
        var firstHost = alone.Runs.Single(r => r.Phase == RunPhase.Running).HostSilo;

        var joined = await cluster.StartAdditionalSiloAsync();

        var both = await Poll.UntilAsync(() => sweep.GetStatusAsync(), s => s.Runs.All(r => r.Phase == RunPhase.Running), "the joined silo to take the queued run");
        var secondHost = both.Runs.Single(r => r.HostSilo != firstHost).HostSilo;
        Assert.EndsWith(joined.SiloAddress.Endpoint.ToString(), secondHost, StringComparison.Ordinal);
        await Poll.UntilAsync(() => Task.FromResult(gate.WaitingCount), n => n == 2, "both runs to train at once, one per silo");
        gate.Open();
        await Poll.UntilAsync(() => sweep.GetStatusAsync(), s => s.Phase == SweepPhase.Finished, "the sweep to finish");
    }

    [Fact]
    public async Task KilledSilosRunResumesFromItsCheckpointOnASurvivor()
    {
        var spec = TestSilos.Spec("killed", epochs: 4);
        var gate = _backend.Hold(spec.Id, beforeEpoch: 3);
        await using var cluster = TestSilos.Build(2, _root.Path, _backend, slots: 1);
        await cluster.DeployAsync();
        var sweep = cluster.Client.GetGrain<ISweepGrain>(spec.Id);
        await sweep.StartAsync(spec);
        await Poll.UntilAsync(() => sweep.GetStatusAsync(), s => s.Runs.All(r => r.Epoch == 2 && r.Phase == RunPhase.Running), "both runs to checkpoint epoch 2, one per silo");
        var victim = cluster.Silos[1];
        var onVictim = (await sweep.GetStatusAsync()).Runs.Single(r => r.HostSilo!.EndsWith(victim.SiloAddress.Endpoint.ToString(), StringComparison.Ordinal));
        var run = new RunKey(spec.Id, onVictim.ConfigName);

        await cluster.KillSiloAsync(victim);
        var requeued = await Poll.UntilAsync(() => sweep.GetStatusAsync(), s => s.Runs.Single(r => r.ConfigName == run.ConfigName).Phase == RunPhase.Queued, "the killed silo's run to be queued again");
        Assert.Equal(2, requeued.Runs.Single(r => r.ConfigName == run.ConfigName).Epoch);
        gate.Open();

        var done = await Poll.UntilAsync(() => sweep.GetStatusAsync(), s => s.Phase == SweepPhase.Finished, "the sweep to finish on the survivor", TimeSpan.FromSeconds(60));
        Assert.Empty(done.MissingRuns);
        Assert.All(done.Runs, r => Assert.Equal(RunPhase.Completed, r.Phase));
        var resumed = done.Runs.Single(r => r.ConfigName == run.ConfigName);
        Assert.EndsWith(cluster.Silos[0].SiloAddress.Endpoint.ToString(), resumed.HostSilo, StringComparison.Ordinal);
        Assert.Contains((2, FakeTrainingBackend.CheckpointText(run, 2)), _backend.Calls(run));
        Assert.Equal(4, resumed.Epoch);
    }

    [Fact]
    public async Task ClaimWhoseExecutionIsNeverHeardFromIsQueuedAgain()
    {
        var spec = TestSilos.Spec("ghost", epochs: 1);
        await using var cluster = TestSilos.Build(1, _root.Path, _backend, acceptsRuns: false, executionLease: TimeSpan.FromSeconds(2));
        await cluster.DeployAsync();
        var sweep = cluster.Client.GetGrain<ISweepGrain>(spec.Id);
        await sweep.StartAsync(spec);

        // A claim by a live silo whose reply is lost: no execution will ever report or beat for it.
        var claim = await sweep.ClaimAsync(new WorkerSilo(cluster.Silos[0].SiloAddress, "ghost"));
        Assert.NotNull(claim);
        var run = cluster.Client.GetGrain<ITrainingRunGrain>(claim.Work.Key.ToString());
        Assert.NotNull(await run.CheckAsync(claim.ExecutionId));

        var requeued = await Poll.UntilAsync(() => run.GetStatusAsync(), s => s.HostSilo is null, "the silent claim to be queued again");

        Assert.Equal(RunPhase.Queued, requeued.Phase);
        Assert.Null(await run.CheckAsync(claim.ExecutionId));
        var again = await sweep.ClaimAsync(new WorkerSilo(cluster.Silos[0].SiloAddress, "second"));
        Assert.NotNull(again);
        Assert.Equal(claim.Work.Key, again.Work.Key);
    }

    [Fact]
    public async Task StatusShowsAStorageOutageWhileItLasts()
    {
        var store = new OutageStore(new FileSystemBlobStore(_root.Path));
        var spec = TestSilos.Spec("outage", epochs: 1);
        await using var cluster = TestSilos.Build(1, _root.Path, _backend, store: store);
        await cluster.DeployAsync();
        var sweep = cluster.Client.GetGrain<ISweepGrain>(spec.Id);
        await sweep.StartAsync(spec);
        Assert.Null((await sweep.GetStatusAsync()).Storage);

        store.Outage = DateTimeOffset.UtcNow;
        var during = await sweep.GetStatusAsync();
        store.Outage = null;

        Assert.NotNull(during.Storage);
        Assert.Contains("does not answer", during.Storage.Error, StringComparison.Ordinal);
        Assert.Null((await sweep.GetStatusAsync()).Storage);
    }

    /// <summary>A file store that says it is retrying through an outage when told to (the Azure store does when it is).</summary>
    private sealed class OutageStore(FileSystemBlobStore inner) : DelegatingBlobStore(inner)
    {
        public DateTimeOffset? Outage { get; set; }

        public override DateTimeOffset? UnreachableSince => Outage;
    }
}
