using System.Runtime.InteropServices;

namespace LearnedActivation.Grains.Storage;

/// <summary>
/// Blob-shaped storage for checkpoints, artifacts and grain state: flat keys with '/' separators, whole
/// blobs written atomically and verified on read. The file-system implementation serves the embedded
/// mode; an Azure Blob implementation serves clusters. Keys are checked by <see cref="BlobKey"/>.
/// </summary>
public interface IBlobStore
{
    /// <summary>Writes the whole blob, replacing any previous one; readers see the old or the new blob, never a mix.</summary>
    Task PutAsync(string key, Stream content, CancellationToken cancellationToken = default);

    /// <summary>The blob's bytes, or null when there is none; throws <see cref="BlobCorruptedException"/> when its checksum does not match.</summary>
    Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default);

    Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Keys that start with <paramref name="prefix"/> (plain string prefix, "" for all), in ordinal order.</summary>
    Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>When the store became unreachable, while calls are being retried through an outage; null when it answers.</summary>
    DateTimeOffset? UnreachableSince => null;

    /// <summary>Deletes the blob; false when there was none.</summary>
    Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// The blob's bytes with its version tag (ETag), or null when there is none. A corrupt blob throws
    /// <see cref="BlobCorruptedException"/> carrying the version tag of what is stored, so that a caller may
    /// replace it conditionally.
    /// </summary>
    Task<VersionedBlob?> GetVersionedAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Compare-and-swap: writes the whole blob only when the stored version is <paramref name="ifMatch"/>
    /// (null: only when no blob is stored), atomically with that check; returns the new version. Throws
    /// <see cref="BlobConditionFailedException"/> when the stored version is another.
    /// </summary>
    Task<string> PutIfAsync(string key, ReadOnlyMemory<byte> content, string? ifMatch, CancellationToken cancellationToken = default);
}

/// <summary>A blob's content and the version tag a conditional write names (<see cref="IBlobStore.PutIfAsync"/>).</summary>
public sealed record VersionedBlob(byte[] Content, string ETag);

/// <summary>A conditional write found another version stored than the one it was conditioned on.</summary>
public sealed class BlobConditionFailedException : IOException
{
    public BlobConditionFailedException(string key, string? expected, string? stored)
        : base($"blob '{key}' changed: expected version {expected ?? "none"}, stored {stored ?? "another"}")
    {
        Key = key;
        Expected = expected;
        Stored = stored;
    }

    public BlobConditionFailedException()
    {
        Key = string.Empty;
    }

    public BlobConditionFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Key = string.Empty;
    }

    public string Key { get; }

    /// <summary>The version the write was conditioned on (null: none stored).</summary>
    public string? Expected { get; }

    /// <summary>The version stored, where the store says (Azure does not).</summary>
    public string? Stored { get; }
}

public static class BlobStoreExtensions
{
    public static async Task PutAsync(this IBlobStore store, string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        // Over the caller's array when there is one: a checkpoint is not worth a second copy.
        using var stream = MemoryMarshal.TryGetArray(content, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);
        await store.PutAsync(key, stream, cancellationToken);
    }
}

/// <summary>A stored blob whose content does not match its recorded checksum (or has no checksum).</summary>
public sealed class BlobCorruptedException : IOException
{
    public BlobCorruptedException(string key, string problem, string? eTag = null)
        : base($"blob '{key}' is corrupt: {problem}")
    {
        Key = key;
        ETag = eTag;
    }

    public BlobCorruptedException()
    {
        Key = string.Empty;
    }

    public BlobCorruptedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Key = string.Empty;
    }

    public string Key { get; }

    /// <summary>The version tag of the corrupt blob as stored (set by <see cref="IBlobStore.GetVersionedAsync"/>): a conditional write may replace it.</summary>
    public string? ETag { get; }
}
