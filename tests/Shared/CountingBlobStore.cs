using System.Collections.Concurrent;
using LearnedActivation.Grains.Storage;

namespace LearnedActivation.Tests;

/// <summary>
/// A blob store that counts the bytes written to and read from the store it wraps (thread-safe), so that
/// tests and benchmarks can say what one operation costs in storage. Writes are also counted per kind of
/// key, as <paramref name="kindOf"/> names it (e.g. checkpoint, run state, sweep state).
/// </summary>
public sealed class CountingBlobStore(IBlobStore inner, Func<string, string>? kindOf = null) : DelegatingBlobStore(inner)
{
    private readonly ConcurrentDictionary<string, (long Bytes, long Puts)> _byKind = new(StringComparer.Ordinal);
    private long _written;
    private long _read;
    private long _puts;
    private long _lists;

    public long BytesWritten => Interlocked.Read(ref _written);

    public long BytesRead => Interlocked.Read(ref _read);

    public long Puts => Interlocked.Read(ref _puts);

    public long Lists => Interlocked.Read(ref _lists);

    /// <summary>Bytes and writes per kind of key (empty without a <c>kindOf</c>).</summary>
    public IReadOnlyDictionary<string, (long Bytes, long Puts)> WrittenByKind => _byKind;

    public override async Task PutAsync(string key, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var copy = new MemoryStream();
        await content.CopyToAsync(copy, cancellationToken);
        copy.Position = 0;
        await base.PutAsync(key, copy, cancellationToken);
        Interlocked.Add(ref _written, copy.Length);
        Interlocked.Increment(ref _puts);
        if (kindOf is not null)
        {
            _byKind.AddOrUpdate(kindOf(key), (copy.Length, 1), (_, c) => (c.Bytes + copy.Length, c.Puts + 1));
        }
    }

    public override async Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        var bytes = await base.GetAsync(key, cancellationToken);
        Interlocked.Add(ref _read, bytes?.LongLength ?? 0);
        return bytes;
    }

    public override Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _lists);
        return base.ListAsync(prefix, cancellationToken);
    }

    public override async Task<VersionedBlob?> GetVersionedAsync(string key, CancellationToken cancellationToken = default)
    {
        var blob = await base.GetVersionedAsync(key, cancellationToken);
        Interlocked.Add(ref _read, blob?.Content.LongLength ?? 0);
        return blob;
    }

    public override async Task<string> PutIfAsync(string key, ReadOnlyMemory<byte> content, string? ifMatch, CancellationToken cancellationToken = default)
    {
        var version = await base.PutIfAsync(key, content, ifMatch, cancellationToken);
        Interlocked.Add(ref _written, content.Length);
        Interlocked.Increment(ref _puts);
        if (kindOf is not null)
        {
            _byKind.AddOrUpdate(kindOf(key), (content.Length, 1), (_, c) => (c.Bytes + content.Length, c.Puts + 1));
        }

        return version;
    }
}
