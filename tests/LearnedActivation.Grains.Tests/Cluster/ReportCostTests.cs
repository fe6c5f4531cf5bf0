using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Execution;
using LearnedActivation.Grains.Storage;
using LearnedActivation.Grains.Tests.Support;
using LearnedActivation.Model.Configuration;

namespace LearnedActivation.Grains.Tests.Cluster;

/// <summary>
/// What one progress report costs in storage does not grow with the sweep: an epoch report of the same run
/// writes and reads the same bytes in a sweep of 8 runs as in one of 800. Reports go through the production
/// path (<see cref="GrainProgressSink"/>: the run's record, then the sweep grain) on a real silo whose store
/// counts bytes; the silo takes no runs itself, so nothing else writes meanwhile.
/// </summary>
[Collection(ClusterGroup.Name)]
public sealed class ReportCostTests : IDisposable
{
    private const int Epochs = 10;
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task AnEpochReportCostsTheSameStorageInASweepOf8AndOf800Runs()
    {
        var store = new CountingBlobStore(new FileSystemBlobStore(_root.Path));
        await using var cluster = TestSilos.Build(1, _root.Path, new FakeTrainingBackend(), store: store, acceptsRuns: false);
        await cluster.DeployAsync();

        var small = await ReportCostsAsync(cluster.Client, cluster.Silos[0].SiloAddress, store, Spec("cost-a", seeds: 4));
        var large = await ReportCostsAsync(cluster.Client, cluster.Silos[0].SiloAddress, store, Spec("cost-b", seeds: 400));

        for (var i = 0; i < Epochs; i++)
        {
            // The same sweep-id length and run name: only timestamps and ids may differ by a few characters.
            Assert.InRange(large.Written[i], small.Written[i] - 16, small.Written[i] + 16);
            Assert.InRange(large.Read[i], small.Read[i] - 16, small.Read[i] + 16);
        }

        // The test can fail: storing the runs' statuses on a report would cost more than their size.
        var statuses = (await store.GetAsync(RunsKey("cost-b")))!.Length;
        Assert.True(statuses > 20 * large.Written.Max(), $"the 800 runs' statuses ({statuses} bytes) should dwarf a report ({large.Written.Max()} bytes)");
    }

    [Fact]
    public async Task AClaimStoresTheSameSchedulingStateInASweepOf8AndOf800Runs()
    {
        var store = new CountingBlobStore(new FileSystemBlobStore(_root.Path));
        await using var cluster = TestSilos.Build(1, _root.Path, new FakeTrainingBackend(), store: store, acceptsRuns: false);
        await cluster.DeployAsync();

        var small = await StateSizesAfterClaimsAsync(cluster.Client, cluster.Silos[0].SiloAddress, store, Spec("claim-a", seeds: 4));
        var large = await StateSizesAfterClaimsAsync(cluster.Client, cluster.Silos[0].SiloAddress, store, Spec("claim-b", seeds: 400));

        // Each claim rewrites the sweep's scheduling state: its queue must not be stored run by run. (The spec, which
        // lists the 400 seeds, is stored with it, and left out of the comparison: it is the sweep's, not the claim's.)
        for (var i = 0; i < small.Count; i++)
        {
            Assert.InRange(large[i], small[i] - 32, small[i] + 32);
        }
    }

    private static async Task<List<long>> StateSizesAfterClaimsAsync(IGrainFactory grains, SiloAddress silo, CountingBlobStore store, SweepSpec spec)
    {
        var sweep = grains.GetGrain<ISweepGrain>(spec.Id);
        await sweep.StartAsync(spec);
        var sizes = new List<long>();
        var claimed = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var claim = await sweep.ClaimAsync(new WorkerSilo(silo, "claimer"));
            claimed.Add(claim!.Work.Run.ConfigName);
            var stored = System.Text.Json.Nodes.JsonNode.Parse(await store.GetAsync(StoreLayout.SweepState(spec.Id)))!;
            stored["state"]!.AsObject().Remove("spec");
            sizes.Add(stored.ToJsonString().Length);
        }

        // The stored queue reads back as the queue: the next claim after a reload is the next run in spec order.
        var status = await sweep.GetStatusAsync();
        Assert.Equal(status.Runs.Take(5).Select(r => r.ConfigName), claimed);
        return sizes;
    }

    private static string RunsKey(string sweepId) => StoreLayout.SweepState(sweepId, StoreLayout.SweepRunsStateName);

    private static SweepSpec Spec(string id, int seeds) =>
        TestSilos.Spec(id, Epochs) with { Axes = new SweepAxes([BaseActivation.Tanh, BaseActivation.Relu], [SizePreset.Small], [SizePreset.Small], [.. Enumerable.Range(0, seeds).Select(s => (long)s)]) };

    /// <summary>Bytes written and read by each of the epoch reports of the sweep's first run.</summary>
    private static async Task<(List<long> Written, List<long> Read)> ReportCostsAsync(IGrainFactory grains, SiloAddress silo, CountingBlobStore store, SweepSpec spec)
    {
        var sweep = grains.GetGrain<ISweepGrain>(spec.Id);
        await sweep.StartAsync(spec);
        var claim = await sweep.ClaimAsync(new WorkerSilo(silo, "reporter"));
        Assert.Equal("tanh_small_small_s0", claim!.Work.Run.ConfigName);
        var sink = new GrainProgressSink(grains, claim.Work.Key, claim.ExecutionId, claim.ResumeFrom);
        Assert.Equal(ReportVerdict.Accepted, await sink.StartedAsync(0, null));

        // The claim changed a status to store, which the sweep's watch stores shortly: measured after that.
        await Poll.UntilAsync(() => store.GetAsync(RunsKey(spec.Id)), b => b is not null && System.Text.Encoding.UTF8.GetString(b).Contains("reporter", StringComparison.Ordinal), $"the claim of {spec.Id} to be stored");

        // That write is followed by the copy of the version it replaced (kept once the write won): wait until the
        // store is quiet, so that the copy is not counted as the first report's.
        for (var quiet = 0; quiet < 4;)
        {
            var before = store.BytesWritten;
            await Task.Delay(TimeSpan.FromMilliseconds(100));
            quiet = store.BytesWritten == before ? quiet + 1 : 0;
        }

        var (written, read) = (new List<long>(), new List<long>());
        for (var epoch = 1; epoch <= Epochs; epoch++)
        {
            var (w, r) = (store.BytesWritten, store.BytesRead);
            Assert.Equal(ReportVerdict.Accepted, await sink.EpochAsync(new EpochReport(epoch, 0.5, 0.5, 0.75, 0.8, 1.5), null));
            written.Add(store.BytesWritten - w);
            read.Add(store.BytesRead - r);
        }

        var status = await sweep.GetStatusAsync();
        Assert.Equal(Epochs, status.Runs.Single(r => r.ConfigName == claim.Work.Run.ConfigName).Epoch);
        return (written, read);
    }
}
