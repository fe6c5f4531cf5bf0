using System.Text;
using LearnedActivation.Grains.Storage;
using LearnedActivation.Grains.Tests.Support;

namespace LearnedActivation.Grains.Tests.Storage;

public sealed class FileSystemBlobStoreTests : IDisposable
{
    private readonly TempDirectory _root = new();
    private readonly FileSystemBlobStore _store;

    public FileSystemBlobStoreTests() => _store = new FileSystemBlobStore(_root.Path);

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task PutThenGetRoundTripsAndOverwrites()
    {
        await _store.PutAsync("s/runs/a/blob.bin", new byte[] { 1, 2, 3 });
        Assert.Equal([1, 2, 3], await _store.GetAsync("s/runs/a/blob.bin"));

        await _store.PutAsync("s/runs/a/blob.bin", new byte[] { 9 });
        Assert.Equal([9], await _store.GetAsync("s/runs/a/blob.bin"));
        Assert.True(await _store.ExistsAsync("s/runs/a/blob.bin"));
    }

    [Fact]
    public async Task BlobIsAPlainFileWithAChecksumBesideItAndNoTemporariesLeft()
    {
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47 };
        await _store.PutAsync("s/artifacts/grid.png", png);

        Assert.Equal(png, await File.ReadAllBytesAsync(Path.Combine(_root.Path, "s", "artifacts", "grid.png")));
        Assert.StartsWith("sha256:", await File.ReadAllTextAsync(Path.Combine(_root.Path, "s", "artifacts", "grid.png.sha256")), StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_root.Path, ".tmp")));
    }

    [Fact]
    public async Task MissingBlobReadsAsNull()
    {
        Assert.Null(await _store.GetAsync("s/none"));
        Assert.False(await _store.ExistsAsync("s/none"));
        Assert.False(await _store.DeleteAsync("s/none"));
    }

    [Fact]
    public async Task AlteredContentIsReportedCorrupt()
    {
        await _store.PutAsync("s/ckpt", Encoding.UTF8.GetBytes("weights"));
        await File.WriteAllTextAsync(_store.PathOf("s/ckpt"), "weightz");

        var error = await Assert.ThrowsAsync<BlobCorruptedException>(() => _store.GetAsync("s/ckpt"));
        Assert.Equal("s/ckpt", error.Key);
    }

    [Fact]
    public async Task MissingChecksumIsReportedCorrupt()
    {
        await _store.PutAsync("s/ckpt", Encoding.UTF8.GetBytes("weights"));
        File.Delete(_store.PathOf("s/ckpt") + BlobKey.ChecksumSuffix);

        await Assert.ThrowsAsync<BlobCorruptedException>(() => _store.GetAsync("s/ckpt"));
    }

    [Fact]
    public async Task CrashBetweenTheTwoRenamesLeavesTheOldBlobReadable()
    {
        await _store.PutAsync("s/state.json", Encoding.UTF8.GetBytes("old"));
        var oldContent = await File.ReadAllBytesAsync(_store.PathOf("s/state.json"));
        await _store.PutAsync("s/state.json", Encoding.UTF8.GetBytes("new"));

        // What a crash after the checksum rename but before the content rename leaves behind.
        await File.WriteAllBytesAsync(_store.PathOf("s/state.json"), oldContent);

        Assert.Equal("old", Encoding.UTF8.GetString((await _store.GetAsync("s/state.json"))!));
    }

    [Fact]
    public async Task ListReturnsKeysUnderThePrefixInOrdinalOrderWithoutBookkeepingFiles()
    {
        foreach (var key in new[] { "s/runs/b/x", "s/runs/a/y", "s/runs/a/x", "s/other", "t/runs/a/x" })
        {
            await _store.PutAsync(key, new byte[] { 1 });
        }

        Assert.Equal(["s/runs/a/x", "s/runs/a/y", "s/runs/b/x"], await _store.ListAsync("s/runs/"));
        Assert.Equal(["s/runs/a/x", "s/runs/a/y"], await _store.ListAsync("s/runs/a"));
        Assert.Equal(5, (await _store.ListAsync(string.Empty)).Count);
        Assert.Empty(await _store.ListAsync("u/"));
    }

    [Fact]
    public async Task DeleteRemovesBlobAndChecksum()
    {
        await _store.PutAsync("s/x", new byte[] { 1 });

        Assert.True(await _store.DeleteAsync("s/x"));
        Assert.Null(await _store.GetAsync("s/x"));
        Assert.False(File.Exists(_store.PathOf("s/x") + BlobKey.ChecksumSuffix));
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
        await Assert.ThrowsAsync<ArgumentException>(() => _store.PutAsync(key, new byte[] { 1 }));
        await Assert.ThrowsAsync<ArgumentException>(() => _store.GetAsync(key));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(_root.Path)!, "outside")));
    }

    [Fact]
    public async Task ConcurrentWritersAndReadersNeverSeeAMix()
    {
        var writers = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            for (var j = 0; j < 20; j++)
            {
                await _store.PutAsync("s/hot", Encoding.UTF8.GetBytes(new string((char)('a' + i), 1000 + j)));
            }
        }));
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            for (var j = 0; j < 40; j++)
            {
                if (await _store.GetAsync("s/hot") is { } bytes)
                {
                    Assert.Single(bytes.Distinct());
                }
            }
        }));

        await Task.WhenAll(writers.Concat(readers));
    }
}
