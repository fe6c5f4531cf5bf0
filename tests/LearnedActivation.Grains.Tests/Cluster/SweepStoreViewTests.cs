using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Execution;
using LearnedActivation.Grains.Storage;
using LearnedActivation.Grains.Sweeps;
using LearnedActivation.Grains.Tests.Support;
using LearnedActivation.Model.Configuration;

namespace LearnedActivation.Grains.Tests.Cluster;

/// <summary>
/// A sweep's status read from the store without a silo (<see cref="SweepStoreView"/>, what <c>learnact status</c>
/// does when no process runs the sweep) is what its grain answers, including the progress of an executing run
/// that only the run's record holds (the sweep stores statuses at most once per watch interval).
/// </summary>
[Collection(ClusterGroup.Name)]
public sealed class SweepStoreViewTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task TheStoreReadWithoutASiloShowsWhatTheSweepGrainShows()
    {
        var store = new FileSystemBlobStore(_root.Path);
        await using var cluster = TestSilos.Build(1, _root.Path, new FakeTrainingBackend(), store: store, acceptsRuns: false);
        await cluster.DeployAsync();
        var spec = TestSilos.Spec("viewed", 5) with { Axes = new SweepAxes([BaseActivation.Tanh, BaseActivation.Relu], [SizePreset.Small], [SizePreset.Small], [0, 1]) };
        var sweep = cluster.Client.GetGrain<ISweepGrain>(spec.Id);
        await sweep.StartAsync(spec);
        var claim = await sweep.ClaimAsync(new WorkerSilo(cluster.Silos[0].SiloAddress, "viewer"));
        var sink = new GrainProgressSink(cluster.Client, claim!.Work.Key, claim.ExecutionId, claim.ResumeFrom);
        Assert.Equal(ReportVerdict.Accepted, await sink.StartedAsync(0, null));
        var runsKey = StoreLayout.SweepState(spec.Id, StoreLayout.SweepRunsStateName);
        await Poll.UntilAsync(() => store.GetAsync(runsKey), b => b is not null && System.Text.Encoding.UTF8.GetString(b).Contains("viewer", StringComparison.Ordinal), "the claim to be stored");
        for (var epoch = 1; epoch <= 2; epoch++)
        {
            Assert.Equal(ReportVerdict.Accepted, await sink.EpochAsync(new EpochReport(epoch, 0.5, 0.5, 0.75, 0.8, 1.5), null));
        }

        // What makes this test able to fail: the sweep's stored statuses do not have the two epochs yet.
        var stored = await BlobGrainStorage.ReadStoredAsync<SweepRuns>(store, runsKey);
        Assert.Equal(0, stored!.Runs[claim.Work.Run.ConfigName].Epoch);

        var viewed = await SweepStoreView.ReadStatusAsync(store, spec.Id, DateTimeOffset.UtcNow);
        var answered = await sweep.GetStatusAsync();

        Assert.NotNull(viewed);
        Assert.Equal(answered.Phase, viewed.Phase);
        Assert.Equal(answered.Totals, viewed.Totals);
        Assert.Equal(Summary(answered), Summary(viewed));
        Assert.Equal(2, viewed.Runs.Single(r => r.ConfigName == claim.Work.Run.ConfigName).Epoch);
        Assert.Null(await SweepStoreView.ReadStatusAsync(store, "no-such-sweep", DateTimeOffset.UtcNow));
    }

    private static List<string> Summary(SweepStatus status) =>
        [.. status.Runs.Select(r => $"{r.ConfigName} {r.Phase} {r.Epoch}/{r.TotalEpochs} {r.HostSilo} {r.Latest?.ValAccuracy}")];
}
