using System.Text;
using LearnedActivation.Grains.Storage;

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
}
