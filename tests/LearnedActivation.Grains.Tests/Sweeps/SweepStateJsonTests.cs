using System.Text;
using System.Text.Json;
using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Scheduling;
using LearnedActivation.Grains.Storage;
using LearnedActivation.Grains.Sweeps;

namespace LearnedActivation.Grains.Tests.Sweeps;

/// <summary>
/// A sweep's state is JSON in the store and outlives the code that wrote it. sweep-state-v1.json was
/// written by the sweep grain before its decisions moved into <see cref="SweepState"/>: a store of that
/// time must still load and carry on, and the state must still be written in that shape (less the curves
/// and run artifacts, which live with the runs now).
/// </summary>
public sealed class SweepStateJsonTests
{
    private static readonly byte[] V1 = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Sweeps", "sweep-state-v1.json"));

    [Fact]
    public async Task AStoredStateOfTheEarlierGrainLoadsAndCarriesOn()
    {
        using var root = new TempDirectory();
        var store = new FileSystemBlobStore(root.Path);
        await store.PutAsync(StoreLayout.SweepState("v1"), V1);
        var read = new GrainState<SweepState>(new SweepState());

        await new BlobGrainStorage(store).ReadStateAsync("sweep", GrainId.Create(StoreLayout.SweepGrainType, "v1"), read);

        var state = read.State!;
        var statuses = new Dictionary<string, RunStatus>();
        Assert.True(state.AdoptRuns(statuses));
        Assert.Null(state.EarlierRuns);
        Assert.Same(statuses, state.Runs);
        Assert.Equal("v1", state.Spec!.Id);
        Assert.Equal(SweepPhase.Running, state.Phase);
        Assert.Equal(["relu_small_small"], state.Queue);
        Assert.True(state.IsAssigned("tanh_small_small", Guid.Parse("7f0c3c52-5b7c-4c38-9a43-52a1d1d4c0aa")));
        Assert.Equal(1, state.Runs["relu_small_small"].Epoch);
        Assert.Equal("relu_small_small", state.NextClaim(new ProgressFirstPolicy(), "silo"));
        var plan = state.PlanStart(state.Spec, silo => SiloAddress.FromParsableString(silo).Endpoint.Port == 11111);
        Assert.Equal(["tanh_small_small"], plan.Keep.Keys);
        Assert.Equal(["relu_small_small"], plan.Enqueue.Select(w => w.Run.ConfigName));
    }

    /// <summary>
    /// Every run's curve and artifact keys left the sweep's state for the runs' records, the statuses for a
    /// blob of their own (<see cref="SweepRuns"/>), and the queue's names for ranges of spec positions; all else keeps its name.
    /// </summary>
    [Fact]
    public void TheStateIsStillWrittenUnderTheSameNamesLessCurvesArtifactsStatusesAndQueuedNames()
    {
        using var stored = JsonDocument.Parse(Encoding.UTF8.GetString(V1));
        var state = StateOf(stored);
        var written = JsonSerializer.SerializeToElement(state, BlobGrainStorage.JsonOptions);

        Assert.Equal(Names(stored.RootElement.GetProperty("state")).Except(["curves", "runArtifacts", "runs", "queue"]).Append("queueRanges").Order(StringComparer.Ordinal), Names(written));
    }

    /// <summary>
    /// The queue is stored as ranges of positions in the spec's run order, so that a claim's write does not grow
    /// with the runs still queued; it reads back as the same names in the same order, whatever order the members come in.
    /// </summary>
    [Fact]
    public void TheQueueIsStoredAsRangesOfSpecPositionsAndReadsBackAsItWas()
    {
        using var stored = JsonDocument.Parse(Encoding.UTF8.GetString(V1));
        var state = StateOf(stored);
        var runs = state.Spec!.Runs().Select(r => r.ConfigName).ToList();
        state.Queue = [runs[1], runs[0]];

        var written = JsonSerializer.SerializeToNode(state, BlobGrainStorage.JsonOptions)!.AsObject();
        Assert.Equal("[[1,1],[0,1]]", written["queueRanges"]!.ToJsonString());

        // The ranges first, the spec after them: read back once the spec is known.
        var ranges = written["queueRanges"]!.DeepClone();
        written.Remove("queueRanges");
        written.Insert(0, "queueRanges", ranges);
        var read = written.Deserialize<SweepState>(BlobGrainStorage.JsonOptions)!;
        Assert.Equal([runs[1], runs[0]], read.Queue);
    }

    [Fact]
    public void AQueueInSpecOrderIsOneRangeHoweverLong()
    {
        var order = Enumerable.Range(0, 2_700).ToDictionary(i => $"run{i}", i => i);
        var queue = order.Keys.Skip(5).ToList();

        var ranges = QueueRanges.Compress(queue, order);

        Assert.Equal([5, 2_695], Assert.Single(ranges));
        Assert.Throws<InvalidOperationException>(() => QueueRanges.Compress(["elsewhere"], order));
    }

    private static SweepState StateOf(JsonDocument stored)
    {
        var state = stored.RootElement.GetProperty("state").Deserialize<SweepState>(BlobGrainStorage.JsonOptions)!;
        state.AdoptRuns([]);
        return state;
    }

    private static List<string> Names(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];
}
