using LearnedActivation.Grains.Storage;

namespace LearnedActivation.Tests;

/// <summary>
/// A blob store that passes every call to the store it wraps: a test double derives from it and overrides only the
/// calls it changes (a delete that fails, an outage it reports), instead of forwarding the whole interface itself.
/// </summary>
public abstract class DelegatingBlobStore(IBlobStore inner) : IBlobStore
{
    public virtual DateTimeOffset? UnreachableSince => inner.UnreachableSince;

    public virtual Task PutAsync(string key, Stream content, CancellationToken cancellationToken = default) => inner.PutAsync(key, content, cancellationToken);

    public virtual Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default) => inner.GetAsync(key, cancellationToken);

    public virtual Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) => inner.ExistsAsync(key, cancellationToken);

    public virtual Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken = default) => inner.ListAsync(prefix, cancellationToken);

    public virtual Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, cancellationToken);

    public virtual Task<VersionedBlob?> GetVersionedAsync(string key, CancellationToken cancellationToken = default) => inner.GetVersionedAsync(key, cancellationToken);

    public virtual Task<string> PutIfAsync(string key, ReadOnlyMemory<byte> content, string? ifMatch, CancellationToken cancellationToken = default) =>
        inner.PutIfAsync(key, content, ifMatch, cancellationToken);
}
