using System.Security.Cryptography;
using System.Text;

namespace LearnedActivation.Grains.Storage;

/// <summary>
/// <see cref="IBlobStore"/> on a local directory, for the embedded mode. Each blob is the file at its key
/// (so a PNG can be opened where it lies) plus a "{key}.sha256" checksum file beside it.
/// <para>
/// Writes are atomic: content and checksum go to temporaries under "{root}/.tmp", are flushed to disk,
/// then renamed into place, checksum first. The checksum file names the new hash and the previous one,
/// so a crash between the two renames leaves the old content with a checksum that still vouches for it:
/// readers see the old blob or the new one, never a mix, and anything else (a torn or bit-rotted file)
/// is reported as <see cref="BlobCorruptedException"/>. Within this process, operations on the same
/// key are serialised; the store assumes one process writes a root at a time (the embedded silo), and
/// conditional writes (<see cref="PutIfAsync"/>) also hold an OS file lock, so that they stay atomic even
/// when two processes share a root.
/// </para>
/// </summary>
public sealed class FileSystemBlobStore : IBlobStore
{
    private const string TempDirectoryName = ".tmp";
    private const string HashPrefix = "sha256:";
    private readonly string _root;
    private readonly string _tempDirectory;
    private readonly SemaphoreSlim[] _stripes = Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public FileSystemBlobStore(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        _root = Path.GetFullPath(root);
        _tempDirectory = Path.Combine(_root, TempDirectoryName);
    }

    /// <summary>The absolute directory that holds the blobs.</summary>
    public string Root => _root;

    /// <summary>The file that holds a blob's content (for tools that want to show where an artifact lies).</summary>
    public string PathOf(string key)
    {
        BlobKey.Validate(key);
        var path = Path.GetFullPath(Path.Combine(_root, key.Replace('/', Path.DirectorySeparatorChar)));

        // BlobKey already rules out escapes; this is the belt to its braces.
        if (!path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"invalid blob key '{key}': resolves outside the store", nameof(key));
        }

        return path;
    }

    public async Task PutAsync(string key, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var path = PathOf(key);
        var stripe = StripeOf(key);
        await stripe.WaitAsync(cancellationToken);
        try
        {
            await WriteAsync(path, content, cancellationToken);
        }
        finally
        {
            stripe.Release();
        }
    }

    /// <summary>
    /// The check and the write happen under the key's stripe and an OS lock on a file of the stripe's
    /// (<see cref="CrossProcessLock"/>), so that no other writer, in this process or another on the same
    /// root, can slip in between. The version is the SHA-256 of the stored content: a conditional writer of
    /// grain state puts a fresh version id into its content, so a version never comes back (no ABA).
    /// </summary>
    public async Task<string> PutIfAsync(string key, ReadOnlyMemory<byte> content, string? ifMatch, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        var stripe = StripeOf(key);
        await stripe.WaitAsync(cancellationToken);
        try
        {
            using var crossProcess = await CrossProcessLock.AcquireAsync(LockPathOf(key), cancellationToken);
            var stored = await StoredVersionAsync(path, cancellationToken);
            if (!string.Equals(stored, ifMatch, StringComparison.Ordinal))
            {
                throw new BlobConditionFailedException(key, ifMatch, stored);
            }

            using var stream = new MemoryStream(content.ToArray(), writable: false);
            return await WriteAsync(path, stream, cancellationToken);
        }
        finally
        {
            stripe.Release();
        }
    }

    public async Task<VersionedBlob?> GetVersionedAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        var stripe = StripeOf(key);
        await stripe.WaitAsync(cancellationToken);
        try
        {
            return ReadVerified(key, path, await ReadOrNullAsync(path, cancellationToken));
        }
        finally
        {
            stripe.Release();
        }
    }

    /// <summary>Writes content then checksum to temporaries and renames them into place (see the class comment); returns the content's hash.</summary>
    private async Task<string> WriteAsync(string path, Stream content, CancellationToken cancellationToken)
    {
        var tempContent = Path.Combine(_tempDirectory, $"{Guid.NewGuid():N}.blob");
        var tempChecksum = Path.Combine(_tempDirectory, $"{Guid.NewGuid():N}.sum");
        try
        {
            // Created by the first write, not on opening: a reader (status, results) that opens a store leaves no trace in it.
            Directory.CreateDirectory(_tempDirectory);
            var hash = await WriteAndHashAsync(tempContent, content, cancellationToken);
            var previous = ReadChecksums(path + BlobKey.ChecksumSuffix).FirstOrDefault();
            var lines = previous is null || !File.Exists(path) ? HashPrefix + hash : $"{HashPrefix}{hash}\n{HashPrefix}{previous}";
            await WriteDurablyAsync(tempChecksum, Encoding.ASCII.GetBytes(lines + "\n"), cancellationToken);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.Move(tempChecksum, path + BlobKey.ChecksumSuffix, overwrite: true);
            File.Move(tempContent, path, overwrite: true);
            return hash;
        }
        finally
        {
            TryDelete(tempContent);
            TryDelete(tempChecksum);
        }
    }

    public async Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        var stripe = StripeOf(key);
        await stripe.WaitAsync(cancellationToken);
        try
        {
            return ReadVerified(key, path, await ReadOrNullAsync(path, cancellationToken))?.Content;
        }
        finally
        {
            stripe.Release();
        }
    }

    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) => Task.FromResult(File.Exists(PathOf(key)));

    public Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken = default)
    {
        BlobKey.ValidatePrefix(prefix);

        // Only walk the directory the prefix points into, not the whole store.
        var slash = prefix.LastIndexOf('/');
        var start = slash < 0 ? _root : Path.Combine(_root, prefix[..slash].Replace('/', Path.DirectorySeparatorChar));
        if (!Directory.Exists(start))
        {
            return Task.FromResult<IReadOnlyList<string>>([]);
        }

        var keys = Directory.EnumerateFiles(start, "*", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(_root, file).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(k => k.StartsWith(prefix, StringComparison.Ordinal) && BlobKey.IsValid(k))
            .Order(StringComparer.Ordinal)
            .ToList();
        return Task.FromResult<IReadOnlyList<string>>(keys);
    }

    public async Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        var stripe = StripeOf(key);
        await stripe.WaitAsync(cancellationToken);
        try
        {
            if (!Directory.Exists(Path.GetDirectoryName(path)))
            {
                return false;
            }

            var existed = File.Exists(path);
            File.Delete(path);
            File.Delete(path + BlobKey.ChecksumSuffix);
            return existed;
        }
        finally
        {
            stripe.Release();
        }
    }

    private static async Task<string> WriteAndHashAsync(string path, Stream content, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
        {
            var buffer = new byte[1 << 16];
            int read;
            while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }

            file.Flush(flushToDisk: true);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static async Task WriteDurablyAsync(string path, byte[] bytes, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous);
        await file.WriteAsync(bytes, cancellationToken);
        file.Flush(flushToDisk: true);
    }

    /// <summary>The hashes a checksum file vouches for, newest first; empty when missing or malformed.</summary>
    private static List<string> ReadChecksums(string path)
    {
        try
        {
            return File.ReadAllLines(path)
                .Where(line => line.StartsWith(HashPrefix, StringComparison.Ordinal) && line.Length == HashPrefix.Length + 64)
                .Select(line => line[HashPrefix.Length..])
                .ToList();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return [];
        }
    }

    private static async Task<byte[]?> ReadOrNullAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The blob with its version (its content's hash) when its checksum file vouches for it; <see cref="BlobCorruptedException"/> otherwise.</summary>
    private static VersionedBlob? ReadVerified(string key, string path, byte[]? bytes)
    {
        if (bytes is null)
        {
            return null;
        }

        var actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var expected = ReadChecksums(path + BlobKey.ChecksumSuffix);
        if (expected.Count == 0)
        {
            throw new BlobCorruptedException(key, "its checksum file is missing or unreadable", actual);
        }

        return expected.Contains(actual, StringComparer.Ordinal)
            ? new VersionedBlob(bytes, actual)
            : throw new BlobCorruptedException(key, $"content hash {actual[..12]}... does not match the recorded {expected[0][..Math.Min(12, expected[0].Length)]}...", actual);
    }

    /// <summary>The version stored at <paramref name="path"/> (its content's hash, intact or not), null when none.</summary>
    private static async Task<string?> StoredVersionAsync(string path, CancellationToken cancellationToken) =>
        await ReadOrNullAsync(path, cancellationToken) is { } bytes ? Convert.ToHexStringLower(SHA256.HashData(bytes)) : null;

    /// <summary>One of 64 lock files, picked by a hash that is the same in every process (string hash codes are not).</summary>
    private string LockPathOf(string key) =>
        Path.Combine(_tempDirectory, "locks", $"{SHA256.HashData(Encoding.UTF8.GetBytes(key))[0] % 64:D2}.lock");

    private SemaphoreSlim StripeOf(string key) => _stripes[(int)((uint)StringComparer.Ordinal.GetHashCode(key) % (uint)_stripes.Length)];

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // A leftover temporary is harmless; it lives outside the key space.
        }
    }
}
