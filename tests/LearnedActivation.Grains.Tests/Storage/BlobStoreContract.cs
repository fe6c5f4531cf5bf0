using System.Text;
using LearnedActivation.Grains.Runs;
using LearnedActivation.Grains.Storage;
using LearnedActivation.Grains.Tests.Support;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace LearnedActivation.Grains.Tests.Storage;

/// <summary>
/// What every <see cref="IBlobStore"/> promises, run against each implementation (the file system here,
/// Azure Blob on a real Azurite): round trips, missing blobs, checksums verified on read, listing,
/// deletion, key validation and atomic replacement under concurrency. Each implementation says how to
/// damage a stored blob behind the store's back.
/// </summary>
public abstract class BlobStoreContract
{
    protected abstract IBlobStore Store { get; }

    /// <summary>Replaces the stored content of <paramref name="key"/> with <paramref name="content"/>, leaving its recorded checksum as it was.</summary>
    protected abstract Task TamperContentAsync(string key, byte[] content);

    /// <summary>Removes the recorded checksum of <paramref name="key"/>, leaving its content.</summary>
    protected abstract Task RemoveChecksumAsync(string key);

    [Fact]
    public async Task PutThenGetRoundTripsAndOverwrites()
    {
        await Store.PutAsync("s/runs/a/blob.bin", new byte[] { 1, 2, 3 });
        Assert.Equal([1, 2, 3], await Store.GetAsync("s/runs/a/blob.bin"));

        await Store.PutAsync("s/runs/a/blob.bin", new byte[] { 9 });
        Assert.Equal([9], await Store.GetAsync("s/runs/a/blob.bin"));
        Assert.True(await Store.ExistsAsync("s/runs/a/blob.bin"));
    }

    [Fact]
    public async Task EmptyBlobRoundTrips()
    {
        await Store.PutAsync("s/empty", Array.Empty<byte>());

        var bytes = await Store.GetAsync("s/empty");
        Assert.NotNull(bytes);
        Assert.Empty(bytes);
    }

    [Fact]
    public async Task MissingBlobReadsAsNull()
    {
        Assert.Null(await Store.GetAsync("s/none"));
        Assert.False(await Store.ExistsAsync("s/none"));
        Assert.False(await Store.DeleteAsync("s/none"));
    }

    [Fact]
    public async Task AlteredContentIsReportedCorrupt()
    {
        await Store.PutAsync("s/ckpt", Encoding.UTF8.GetBytes("weights"));
        await TamperContentAsync("s/ckpt", Encoding.UTF8.GetBytes("weightz"));

        var error = await Assert.ThrowsAsync<BlobCorruptedException>(() => Store.GetAsync("s/ckpt"));
        Assert.Equal("s/ckpt", error.Key);
    }

    [Fact]
    public async Task TruncatedContentIsReportedCorrupt()
    {
        await Store.PutAsync("s/ckpt", new byte[1000]);
        await TamperContentAsync("s/ckpt", new byte[500]);

        await Assert.ThrowsAsync<BlobCorruptedException>(() => Store.GetAsync("s/ckpt"));
    }

    [Fact]
    public async Task MissingChecksumIsReportedCorrupt()
    {
        await Store.PutAsync("s/ckpt", Encoding.UTF8.GetBytes("weights"));
        await RemoveChecksumAsync("s/ckpt");

        await Assert.ThrowsAsync<BlobCorruptedException>(() => Store.GetAsync("s/ckpt"));
    }

    [Fact]
    public async Task ListReturnsKeysUnderThePrefixInOrdinalOrderWithoutBookkeeping()
    {
        foreach (var key in new[] { "s/runs/b/x", "s/runs/a/y", "s/runs/a/x", "s/other", "t/runs/a/x", "s/runs/A/x" })
        {
            await Store.PutAsync(key, new byte[] { 1 });
        }

        Assert.Equal(["s/runs/A/x", "s/runs/a/x", "s/runs/a/y", "s/runs/b/x"], await Store.ListAsync("s/runs/"));
        Assert.Equal(["s/runs/a/x", "s/runs/a/y"], await Store.ListAsync("s/runs/a"));
        Assert.Equal(6, (await Store.ListAsync(string.Empty)).Count);
        Assert.Empty(await Store.ListAsync("u/"));
    }

    [Fact]
    public async Task DeleteRemovesTheBlob()
    {
        await Store.PutAsync("s/x", new byte[] { 1 });

        Assert.True(await Store.DeleteAsync("s/x"));
        Assert.Null(await Store.GetAsync("s/x"));
        Assert.Empty(await Store.ListAsync("s/"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("/etc/passwd")]
    [InlineData("../outside")]
    [InlineData("s/../../outside")]
    [InlineData("s/./x")]
    [InlineData("s//x")]
    [InlineData("s/x/")]
    [InlineData("s\\..\\x")]
    [InlineData("s/.tmp/x")]
    [InlineData("s/x.sha256")]
    [InlineData("s/a b")]
    [InlineData("s/é")]
    public async Task KeysThatCouldEscapeOrCollideAreRejected(string key)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.PutAsync(key, new byte[] { 1 }));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.GetAsync(key));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.DeleteAsync(key));
        Assert.Empty(await Store.ListAsync(string.Empty));
    }

    [Fact]
    public async Task ConcurrentWritersAndReadersNeverSeeAMix()
    {
        var writers = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            for (var j = 0; j < 10; j++)
            {
                await Store.PutAsync("s/hot", Encoding.UTF8.GetBytes(new string((char)('a' + i), 1000 + j)));
            }
        }));
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            for (var j = 0; j < 20; j++)
            {
                if (await Store.GetAsync("s/hot") is { } bytes)
                {
                    Assert.Single(bytes.Distinct());
                }
            }
        }));

        await Task.WhenAll(writers.Concat(readers));
    }

    [Fact]
    public async Task ConditionalWriteSucceedsOnTheStoredVersionOnly()
    {
        var first = await Store.PutIfAsync("s/state.json", Encoding.UTF8.GetBytes("v1"), ifMatch: null);
        await Assert.ThrowsAsync<BlobConditionFailedException>(() => Store.PutIfAsync("s/state.json", Encoding.UTF8.GetBytes("again"), ifMatch: null));

        var second = await Store.PutIfAsync("s/state.json", Encoding.UTF8.GetBytes("v2"), first);
        await Assert.ThrowsAsync<BlobConditionFailedException>(() => Store.PutIfAsync("s/state.json", Encoding.UTF8.GetBytes("lost"), first));

        var stored = await Store.GetVersionedAsync("s/state.json");
        Assert.Equal("v2", Encoding.UTF8.GetString(stored!.Content));
        Assert.Equal(second, stored.ETag);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task ConcurrentConditionalWritersFromOneVersionLetExactlyOneThrough()
    {
        var start = await Store.PutIfAsync("s/race.json", Encoding.UTF8.GetBytes("start"), ifMatch: null);
        var attempts = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            try
            {
                await Store.PutIfAsync("s/race.json", Encoding.UTF8.GetBytes($"writer {i}"), start);
                return true;
            }
            catch (BlobConditionFailedException)
            {
                return false;
            }
        }));

        var won = await Task.WhenAll(attempts);

        Assert.Equal(1, won.Count(w => w));
        var winner = Array.IndexOf(won, true);
        Assert.Equal($"writer {winner}", Encoding.UTF8.GetString((await Store.GetAsync("s/race.json"))!));
    }

    [Fact]
    public async Task TwoGrainActivationsCannotLoseAnUpdate()
    {
        var storage = new BlobGrainStorage(Store);
        var grain = GrainId.Create(StoreLayout.RunGrainType, "s/tanh_small_small");
        await storage.WriteStateAsync("run", grain, new GrainState<RunState>(new RunState { Attempts = 1 }));
        var first = new GrainState<RunState>(new RunState());
        var second = new GrainState<RunState>(new RunState());
        await storage.ReadStateAsync("run", grain, first);
        await storage.ReadStateAsync("run", grain, second);

        first.State!.Attempts = 2;
        await storage.WriteStateAsync("run", grain, first);
        second.State!.Attempts = 3;
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("run", grain, second));

        var read = new GrainState<RunState>(new RunState());
        await storage.ReadStateAsync("run", grain, read);
        Assert.Equal(2, read.State!.Attempts);
        Assert.Equal(first.ETag, read.ETag);
    }

    [Fact]
    public async Task ACorruptGrainStateFallsBackToItsPreviousVersionWithAWarning()
    {
        var logger = new ListLogger<BlobGrainStorage>();
        var storage = new BlobGrainStorage(Store, logger);
        var grain = GrainId.Create(StoreLayout.RunGrainType, "s/tanh_small_small");
        var key = StoreLayout.GrainState(StoreLayout.RunGrainType, "s/tanh_small_small", "run");
        var state = new GrainState<RunState>(new RunState { Attempts = 1 });
        await storage.WriteStateAsync("run", grain, state);
        state.State!.Attempts = 2;
        await storage.WriteStateAsync("run", grain, state);
        await TamperContentAsync(key, Encoding.UTF8.GetBytes("{ torn"));

        var read = new GrainState<RunState>(new RunState());
        await storage.ReadStateAsync("run", grain, read);

        Assert.True(read.RecordExists);
        Assert.Equal(1, read.State!.Attempts);
        var warning = Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains(key, warning.Message, StringComparison.Ordinal);

        // The grain goes on: its next write replaces the corrupt blob, and reads back.
        read.State!.Attempts = 5;
        await storage.WriteStateAsync("run", grain, read);
        var again = new GrainState<RunState>(new RunState());
        await storage.ReadStateAsync("run", grain, again);
        Assert.Equal(5, again.State!.Attempts);
    }

    [Fact]
    public async Task AGrainStateUnreadableWithoutAPreviousVersionStartsEmptyWithAWarning()
    {
        var logger = new ListLogger<BlobGrainStorage>();
        var storage = new BlobGrainStorage(Store, logger);
        var grain = GrainId.Create(StoreLayout.RunGrainType, "s/relu_small_small");
        var key = StoreLayout.GrainState(StoreLayout.RunGrainType, "s/relu_small_small", "run");
        await Store.PutAsync(key, Encoding.UTF8.GetBytes("not json"));

        var read = new GrainState<RunState>(new RunState());
        await storage.ReadStateAsync("run", grain, read);

        Assert.False(read.RecordExists);
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("starts empty", StringComparison.Ordinal));
        read.State!.Attempts = 1;
        await storage.WriteStateAsync("run", grain, read);
    }

    [Fact]
    public async Task AWriterPausedBeforeItsCopyDoesNotOverwriteTheNewerCopyOfLaterWrites()
    {
        var storage = new BlobGrainStorage(Store);
        var grain = GrainId.Create(StoreLayout.RunGrainType, "s/gelu_small_small");
        var key = StoreLayout.GrainState(StoreLayout.RunGrainType, "s/gelu_small_small", "run");
        await storage.WriteStateAsync("run", grain, new GrainState<RunState>(new RunState { Attempts = 1 }));

        // A writer that wins its write (2) and is frozen before it copies the version it replaced (1)...
        var paused = new StorePausedBeforeWriting(Store, StoreLayout.PreviousVersion(key));
        var frozen = new GrainState<RunState>(new RunState());
        await storage.ReadStateAsync("run", grain, frozen);
        frozen.State!.Attempts = 2;
        var frozenWrite = new BlobGrainStorage(paused).WriteStateAsync("run", grain, frozen);
        await paused.Reached.WaitAsync(TimeSpan.FromSeconds(30));

        // ...while the grain, activated elsewhere, writes 3 and then 4 (so the copy is 3)...
        var live = new GrainState<RunState>(new RunState());
        await storage.ReadStateAsync("run", grain, live);
        live.State!.Attempts = 3;
        await storage.WriteStateAsync("run", grain, live);
        live.State!.Attempts = 4;
        await storage.WriteStateAsync("run", grain, live);

        // ...and wakes: the copy stays the newer one, which a corrupt state falls back to.
        paused.Release();
        await frozenWrite;
        await TamperContentAsync(key, Encoding.UTF8.GetBytes("{ torn"));
        var read = new GrainState<RunState>(new RunState());
        await storage.ReadStateAsync("run", grain, read);
        Assert.Equal(3, read.State!.Attempts);
    }

    /// <summary>A store whose first write to <paramref name="pausedKey"/> waits, once it is reached, until released.</summary>
    private sealed class StorePausedBeforeWriting(IBlobStore inner, string pausedKey) : IBlobStore
    {
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Reached => _reached.Task;

        public void Release() => _released.TrySetResult();

        public async Task PutAsync(string key, Stream content, CancellationToken cancellationToken = default)
        {
            await PauseAtAsync(key);
            await inner.PutAsync(key, content, cancellationToken);
        }

        public async Task<string> PutIfAsync(string key, ReadOnlyMemory<byte> content, string? ifMatch, CancellationToken cancellationToken = default)
        {
            await PauseAtAsync(key);
            return await inner.PutIfAsync(key, content, ifMatch, cancellationToken);
        }

        public Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default) => inner.GetAsync(key, cancellationToken);

        public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) => inner.ExistsAsync(key, cancellationToken);

        public Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken = default) => inner.ListAsync(prefix, cancellationToken);

        public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, cancellationToken);

        public Task<VersionedBlob?> GetVersionedAsync(string key, CancellationToken cancellationToken = default) => inner.GetVersionedAsync(key, cancellationToken);

        private async Task PauseAtAsync(string key)
        {
            if (key == pausedKey && _reached.TrySetResult())
            {
                await _released.Task;
            }
        }
    }
}
