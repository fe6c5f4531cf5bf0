using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Runs;
using LearnedActivation.Grains.Storage;
using LearnedActivation.Grains.Sweeps;
using LearnedActivation.Grains.Tests.Support;
using Orleans.Storage;

namespace LearnedActivation.Grains.Tests.Storage;

public sealed class BlobGrainStorageTests : IDisposable
{
    private readonly TempDirectory _root = new();
    private readonly FileSystemBlobStore _store;
    private readonly BlobGrainStorage _storage;
    private readonly GrainId _run = GrainId.Create(StoreLayout.RunGrainType, "s1/tanh_small_small");

    public BlobGrainStorageTests()
    {
        _store = new FileSystemBlobStore(_root.Path);
        _storage = new BlobGrainStorage(_store);
    }

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task StateRoundTripsAsJsonBesideTheRunsOtherData()
    {
        var run = new RunState();
        var written = new GrainState<RunState>(run);
        run.Enqueue(Work(), DateTimeOffset.UnixEpoch);
        run.Assign(Guid.NewGuid(), "silo@127.0.0.1:11111", DateTimeOffset.UnixEpoch);
        run.Epoch(new EpochReport(1, 0.7, 0.6, 0.75, 0.8, 1.5), "s1/runs/tanh_small_small/checkpoints/epoch-0001.ckpt", DateTimeOffset.UnixEpoch);
        await _storage.WriteStateAsync("run", _run, written);

        var read = new GrainState<RunState>(new RunState());
        await _storage.ReadStateAsync("run", _run, read);

        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal(run.Status, read.State!.Status);
        Assert.Equal(run.Curve, read.State.Curve);
        Assert.Equal(run.Work, read.State.Work);
        var json = await File.ReadAllTextAsync(_store.PathOf("s1/runs/tanh_small_small/state/run.json"));
        Assert.Contains("\"phase\": \"running\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SweepQueueAndAssignmentsRoundTrip()
    {
        var spec = TestSilos.Spec("s1");
        var sweep = new SweepState { Spec = spec, Phase = SweepPhase.Running, Queue = ["relu_small_small"] };
        var silo = SiloAddress.New(System.Net.IPAddress.Loopback, 11111, 154886540);
        var execution = Guid.NewGuid();
        sweep.Assignments["tanh_small_small"] = new RunAssignment(silo.ToParsableString(), execution, DateTimeOffset.UnixEpoch);
        var key = GrainId.Create(StoreLayout.SweepGrainType, "s1");
        await _storage.WriteStateAsync("sweep", key, new GrainState<SweepState>(sweep));

        var read = new GrainState<SweepState>(new SweepState());
        await _storage.ReadStateAsync("sweep", key, read);

        Assert.Equal(["relu_small_small"], read.State!.Queue);
        var assignment = Assert.Single(read.State.Assignments);
        Assert.Equal("tanh_small_small", assignment.Key);
        Assert.Equal(execution, assignment.Value.ExecutionId);
        Assert.Equal(silo, SiloAddress.FromParsableString(assignment.Value.Silo));
        Assert.True(read.State.IsAssigned("tanh_small_small", execution));
    }

    [Fact]
    public async Task MissingStateReadsAsNoRecord()
    {
        var read = new GrainState<RunState>(new RunState());
        await _storage.ReadStateAsync("run", _run, read);

        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
    }

    [Fact]
    public async Task WriteWithAStaleETagIsRefused()
    {
        var mine = new GrainState<RunState>(new RunState());
        await _storage.WriteStateAsync("run", _run, mine);
        var theirs = new GrainState<RunState>(new RunState());
        await _storage.ReadStateAsync("run", _run, theirs);
        await _storage.WriteStateAsync("run", _run, theirs);

        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("run", _run, mine));
    }

    [Fact]
    public async Task ClearRemovesTheState()
    {
        var state = new GrainState<RunState>(new RunState());
        await _storage.WriteStateAsync("run", _run, state);
        await _storage.ClearStateAsync("run", _run, state);

        Assert.False(state.RecordExists);
        Assert.Empty(await _store.ListAsync("s1/"));
    }

    [Fact]
    public void SweepAndRunStateLieUnderTheSweep()
    {
        Assert.Equal("s1/state/sweep.json", StoreLayout.GrainState(StoreLayout.SweepGrainType, "s1", "sweep"));
        Assert.Equal("s1/runs/relu_large_small/state/run.json", StoreLayout.GrainState(StoreLayout.RunGrainType, "s1/relu_large_small", "run"));
        Assert.Equal("_grains/other/k/st.json", StoreLayout.GrainState("other", "k", "st"));
        Assert.Throws<FormatException>(() => StoreLayout.GrainState(StoreLayout.RunGrainType, "../../x", "run"));
    }

    private static RunWorkItem Work()
    {
        var spec = TestSilos.Spec("s1");
        return RunWorkItem.For(spec, spec.Runs()[0]);
    }
}
