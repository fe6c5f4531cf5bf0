using System.Text;
using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Storage;
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

    [Fact]
    public async Task KeepsTheTwoNewest()
    {
        for (var epoch = 1; epoch <= 12; epoch++)
        {
            await _checkpoints.SaveAsync(Run, epoch, Encoding.UTF8.GetBytes($"e{epoch}"));
        }

        Assert.Equal(
            ["s/runs/tanh_small_small/checkpoints/epoch-0011.ckpt", "s/runs/tanh_small_small/checkpoints/epoch-0012.ckpt"],
            await _store.ListAsync(StoreLayout.CheckpointPrefix(Run)));
        var latest = await _checkpoints.LoadLatestAsync(Run);
        Assert.Equal(12, latest!.Epoch);
        Assert.Equal("e12", Encoding.UTF8.GetString(latest.Bytes));
    }

    [Fact]
    public async Task CorruptLatestFallsBackToThePrevious()
    {
        await _checkpoints.SaveAsync(Run, 6, Encoding.UTF8.GetBytes("e6"));
        await _checkpoints.SaveAsync(Run, 7, Encoding.UTF8.GetBytes("e7"));
        await File.WriteAllTextAsync(_store.PathOf(StoreLayout.Checkpoint(Run, 7)), "garbage");

        var loaded = await _checkpoints.LoadLatestAsync(Run);

        Assert.Equal(6, loaded!.Epoch);
        Assert.Equal("e6", Encoding.UTF8.GetString(loaded.Bytes));
    }

    [Fact]
    public async Task NoUsableCheckpointMeansAFreshStart()
    {
        Assert.Null(await _checkpoints.LoadLatestAsync(Run));

        await _checkpoints.SaveAsync(Run, 1, Encoding.UTF8.GetBytes("e1"));
        await File.WriteAllTextAsync(_store.PathOf(StoreLayout.Checkpoint(Run, 1)), "garbage");
        Assert.Null(await _checkpoints.LoadLatestAsync(Run));
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
        Assert.Equal("s/runs/tanh_small_small/checkpoints/epoch-0007.ckpt", StoreLayout.Checkpoint(Run, 7));
        Assert.Equal(7, StoreLayout.CheckpointEpoch(StoreLayout.Checkpoint(Run, 7)));
        Assert.Null(StoreLayout.CheckpointEpoch("s/runs/x/checkpoints/epoch-x.ckpt"));
    }
}
