using System.Text;
using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Storage;
using LearnedActivation.Tests;
using Microsoft.Extensions.Logging.Abstractions;

namespace LearnedActivation.Grains.Tests.Storage;

public sealed class CheckpointStoreTests : IDisposable
{
    private static readonly RunKey Run = new("s", "tanh_small_small");
    private readonly TempDirectory _root = new();
    private readonly FileSystemBlobStore _store;
    private readonly CheckpointStore _checkpoints;

    public CheckpointStoreTests()
    {
        _store = new FileSystemBlobStore(_root.Path);
        _checkpoints = new CheckpointStore(_store, NullLogger<CheckpointStore>.Instance);
    }

    public void Dispose() => _root.Dispose();

    private static readonly Guid Execution = Guid.Parse("0123456789abcdef0123456789abcdef");

    [Fact]
    public async Task KeepsTheThreeNewestOfTheExecutionAndNoneOfAnother()
    {
        var other = Guid.NewGuid();
        await _checkpoints.Writer(Run, other).SaveAsync(5, Encoding.UTF8.GetBytes("other"));
        var writer = _checkpoints.Writer(Run, Execution);
        for (var epoch = 1; epoch <= 12; epoch++)
        {
            await writer.SaveAsync(epoch, Encoding.UTF8.GetBytes($"e{epoch}"));
        }

        Assert.Equal(
            [StoreLayout.Checkpoint(Run, Execution, 10), StoreLayout.Checkpoint(Run, Execution, 11), StoreLayout.Checkpoint(Run, Execution, 12)],
            await _store.ListAsync(StoreLayout.CheckpointPrefix(Run, Execution)));
        Assert.True(await _store.ExistsAsync(StoreLayout.Checkpoint(Run, other, 5)), "an execution prunes only its own checkpoints");
        var loaded = await _checkpoints.LoadAsync(Run, StoreLayout.Checkpoint(Run, Execution, 12));
        Assert.Equal(12, loaded!.Epoch);
        Assert.Equal("e12", Encoding.UTF8.GetString(loaded.Bytes));
    }

    [Fact]
    public async Task SavingListsNothingAndAFailedDeleteIsRetriedOnTheNextSave()
    {
        var failing = new FailingDeletes(_store);
        var counted = new CountingBlobStore(failing);
        var writer = new CheckpointStore(counted, NullLogger<CheckpointStore>.Instance).Writer(Run, Execution);
        for (var epoch = 1; epoch <= 4; epoch++)
        {
            await writer.SaveAsync(epoch, Encoding.UTF8.GetBytes($"e{epoch}"));
        }

        failing.Fail = true;
        await Assert.ThrowsAsync<IOException>(() => writer.SaveAsync(5, Encoding.UTF8.GetBytes("e5")));
        failing.Fail = false;
        await writer.SaveAsync(6, Encoding.UTF8.GetBytes("e6"));

        Assert.Equal(0, counted.Lists);
        Assert.Equal(
            [StoreLayout.Checkpoint(Run, Execution, 4), StoreLayout.Checkpoint(Run, Execution, 5), StoreLayout.Checkpoint(Run, Execution, 6)],
            await _store.ListAsync(StoreLayout.CheckpointPrefix(Run, Execution)));
    }

    /// <summary>Deletes fail while <see cref="Fail"/> is set (the store out for a moment).</summary>
    private sealed class FailingDeletes(IBlobStore inner) : DelegatingBlobStore(inner)
    {
        public bool Fail { get; set; }

        public override Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) =>
            Fail ? throw new IOException("the store is out") : base.DeleteAsync(key, cancellationToken);
    }

    [Fact]
    public async Task LoadsTheNamedCheckpointNotTheNewestInTheStore()
    {
        await _checkpoints.Writer(Run, Execution).SaveAsync(4, Encoding.UTF8.GetBytes("e4"));
        await _checkpoints.Writer(Run, Guid.NewGuid()).SaveAsync(9, Encoding.UTF8.GetBytes("stale e9"));

        var loaded = await _checkpoints.LoadAsync(Run, StoreLayout.Checkpoint(Run, Execution, 4));

        Assert.Equal(4, loaded!.Epoch);
        Assert.Equal("e4", Encoding.UTF8.GetString(loaded.Bytes));
    }

    [Fact]
    public async Task CorruptNamedCheckpointFallsBackToAnOlderOneOfTheSameExecution()
    {
        await _checkpoints.Writer(Run, Guid.NewGuid()).SaveAsync(6, Encoding.UTF8.GetBytes("another's e6"));
        await _checkpoints.Writer(Run, Execution).SaveAsync(5, Encoding.UTF8.GetBytes("e5"));
        await _checkpoints.Writer(Run, Execution).SaveAsync(7, Encoding.UTF8.GetBytes("e7"));
        await _checkpoints.Writer(Run, Execution).SaveAsync(8, Encoding.UTF8.GetBytes("e8 (not yet accepted)"));
        await File.WriteAllTextAsync(_store.PathOf(StoreLayout.Checkpoint(Run, Execution, 7)), "garbage");

        var loaded = await _checkpoints.LoadAsync(Run, StoreLayout.Checkpoint(Run, Execution, 7));

        Assert.Equal(5, loaded!.Epoch);
        Assert.Equal("e5", Encoding.UTF8.GetString(loaded.Bytes));
    }

    [Fact]
    public async Task NoUsableCheckpointMeansAFreshStart()
    {
        Assert.Null(await _checkpoints.LoadAsync(Run, null));

        await _checkpoints.Writer(Run, Execution).SaveAsync(1, Encoding.UTF8.GetBytes("e1"));
        await File.WriteAllTextAsync(_store.PathOf(StoreLayout.Checkpoint(Run, Execution, 1)), "garbage");
        Assert.Null(await _checkpoints.LoadAsync(Run, StoreLayout.Checkpoint(Run, Execution, 1)));
    }

    [Fact]
    public async Task ACheckpointOfAnEarlierVersionLayoutStillLoads()
    {
        var legacy = $"{StoreLayout.CheckpointPrefix(Run)}epoch-0003.ckpt";
        await _store.PutAsync(legacy, Encoding.UTF8.GetBytes("e3"));

        Assert.Equal("e3", Encoding.UTF8.GetString((await _checkpoints.LoadAsync(Run, legacy))!.Bytes));
    }

    [Fact]
    public async Task PruningAfterTheEndKeepsOnlyTheFinalExecutionsCheckpoints()
    {
        var lost = Guid.NewGuid();
        await _checkpoints.Writer(Run, lost).SaveAsync(2, Encoding.UTF8.GetBytes("lost e2"));
        await _store.PutAsync(StoreLayout.ExecutionArtifact(Run, lost, "activation.txt"), Encoding.UTF8.GetBytes("lost"));
        var kept = await _checkpoints.Writer(Run, Execution).SaveAsync(4, Encoding.UTF8.GetBytes("e4"));

        await _checkpoints.PruneOtherExecutionsAsync(Run, kept);

        Assert.Equal([kept], await _store.ListAsync(StoreLayout.CheckpointPrefix(Run)));
        Assert.Empty(await _store.ListAsync(StoreLayout.ExecutionsPrefix(Run)));
    }

    [Theory]
    [InlineData(1, 10, 1, true)]
    [InlineData(3, 10, 2, false)]
    [InlineData(4, 10, 2, true)]
    [InlineData(10, 10, 3, true)]
    [InlineData(9, 10, 3, true)]
    [InlineData(8, 10, 3, false)]
    public void CheckpointIsDueOnTheCadenceAndAtTheLastEpoch(int epoch, int total, int every, bool due) =>
        Assert.Equal(due, CheckpointStore.IsDue(epoch, total, every));

    [Fact]
    public void CheckpointKeysCarryTheirEpoch()
    {
        Assert.Equal("s/runs/tanh_small_small/checkpoints/0123456789abcdef0123456789abcdef/epoch-0007.ckpt", StoreLayout.Checkpoint(Run, Execution, 7));
        Assert.Equal(7, StoreLayout.CheckpointEpoch(StoreLayout.Checkpoint(Run, Execution, 7)));
        Assert.Null(StoreLayout.CheckpointEpoch("s/runs/x/checkpoints/epoch-x.ckpt"));
    }
}
