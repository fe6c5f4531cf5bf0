using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Runs;
using LearnedActivation.Grains.Storage;

namespace LearnedActivation.Grains.Tests.Storage;

/// <summary>Grain state holds NaN and infinite metrics: written as "NaN"/"Infinity", read back as such.</summary>
public sealed class UndefinedMetricsAreStored : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task NaNAndInfinityRoundTripThroughGrainState()
    {
        var storage = new BlobGrainStorage(new FileSystemBlobStore(_root.Path));
        var key = GrainId.Create(StoreLayout.RunGrainType, "s1/tanh_small_small");
        var run = new RunState();
        var spec = Support.TestSilos.Spec("s1");
        run.Enqueue(RunWorkItem.For(spec, spec.Runs()[0]), DateTimeOffset.UnixEpoch);
        run.Assign(Guid.NewGuid(), "silo", DateTimeOffset.UnixEpoch);
        run.Epoch(new EpochReport(1, double.PositiveInfinity, 0.6, 0.5, double.NaN, 1), null, DateTimeOffset.UnixEpoch);
        run.Ended(new RunEnd(RunPhase.Completed, 1, null, new TestMetrics(0.5, double.NaN), [], null), DateTimeOffset.UnixEpoch);

        await storage.WriteStateAsync("run", key, new GrainState<RunState>(run));
        var read = new GrainState<RunState>(new RunState());
        await storage.ReadStateAsync("run", key, read);

        Assert.True(double.IsNaN(read.State!.Status!.Test!.Auc));
        Assert.True(double.IsNaN(read.State.Curve[0].ValAuc));
        Assert.True(double.IsPositiveInfinity(read.State.Curve[0].TrainLoss));
    }
}
