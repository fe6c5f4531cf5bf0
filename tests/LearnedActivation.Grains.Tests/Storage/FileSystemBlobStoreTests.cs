using System.Text;
using LearnedActivation.Grains.Storage;

namespace LearnedActivation.Grains.Tests.Storage;

/// <summary>The blob-store contract on a local directory, plus what only the file layout promises.</summary>
public sealed class FileSystemBlobStoreTests : BlobStoreContract, IDisposable
{
    private readonly TempDirectory _root = new();
    private readonly FileSystemBlobStore _store;

    public FileSystemBlobStoreTests() => _store = new FileSystemBlobStore(_root.Path);

    protected override IBlobStore Store => _store;

    public void Dispose() => _root.Dispose();

    protected override Task TamperContentAsync(string key, byte[] content) => File.WriteAllBytesAsync(_store.PathOf(key), content);

    protected override Task RemoveChecksumAsync(string key)
    {
        File.Delete(_store.PathOf(key) + BlobKey.ChecksumSuffix);
        return Task.CompletedTask;
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
    public async Task DeleteAlsoRemovesTheChecksumFile()
    {
        await _store.PutAsync("s/x", new byte[] { 1 });

        Assert.True(await _store.DeleteAsync("s/x"));
        Assert.False(File.Exists(_store.PathOf("s/x") + BlobKey.ChecksumSuffix));
    }

    [Theory]
    [InlineData("../outside")]
    [InlineData("s/../../outside")]
    public async Task EscapingKeysWriteNothingOutsideTheRoot(string key)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _store.PutAsync(key, new byte[] { 1 }));

        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(_root.Path)!, "outside")));
    }
}
