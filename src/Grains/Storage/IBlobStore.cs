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
}

public static class BlobStoreExtensions
{
    public static async Task PutAsync(this IBlobStore store, string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        using var stream = new MemoryStream(content.ToArray(), writable: false);
        await store.PutAsync(key, stream, cancellationToken);
    }
}

/// <summary>A stored blob whose content does not match its recorded checksum (or has no checksum).</summary>
public sealed class BlobCorruptedException : IOException
{
    public BlobCorruptedException(string key, string problem)
        : base($"blob '{key}' is corrupt: {problem}")
    {
        Key = key;
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
}
