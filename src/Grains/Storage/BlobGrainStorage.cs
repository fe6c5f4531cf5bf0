using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Storage;

namespace LearnedActivation.Grains.Storage;

/// <summary>
/// Orleans grain storage on top of <see cref="IBlobStore"/>, so that sweep and run state survive the
/// process (Orleans' memory storage does not, and it ships no file-system provider). State is JSON in an
/// envelope; the grain's ETag is the blob's version in the store.
/// <list type="bullet">
/// <item>Writes are compare-and-swap (<see cref="IBlobStore.PutIfAsync"/>: If-Match on Azure, a locked
/// check-and-rename on the file system): a writer whose ETag is no longer the stored version gets
/// <see cref="InconsistentStateException"/>, as Orleans expects of a provider, so that two activations of
/// one grain cannot lose an update.</item>
/// <item>Each write, once it has succeeded, keeps the version it replaced under <see cref="StoreLayout.PreviousVersion"/>.
/// A state that fails its checksum or cannot be read as JSON is replaced on activation by that previous
/// version (or, when that is unreadable too, by an empty state), with a warning: a grain always activates,
/// and its next write replaces the bad blob. Run records are each run's truth; a sweep state that starts
/// empty is rebuilt from them when the sweep is submitted again (its completed runs are kept).</item>
/// </list>
/// </summary>
public sealed partial class BlobGrainStorage(IBlobStore store, ILogger<BlobGrainStorage>? logger = null) : IGrainStorage
{
    private readonly ILogger _logger = logger ?? NullLogger<BlobGrainStorage>.Instance;

    /// <summary>
    /// Readable, and stable across renames of C# members only where names are kept: state records are append-only.
    /// NaN and infinities are written as "NaN", "Infinity": a metric may be undefined (an AUC on one class), and a
    /// state that cannot be written would fail every report of the run and never let the sweep end.
    /// </summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>
    /// The state a grain stored under <paramref name="key"/> (see <see cref="StoreLayout"/>), read without a
    /// silo, for read-only views of a store; its previous version when it is unreadable; null when none is stored.
    /// </summary>
    public static async Task<T?> ReadStoredAsync<T>(IBlobStore store, string key, CancellationToken cancellationToken = default)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(store);
        try
        {
            var bytes = await store.GetAsync(key, cancellationToken);
            return bytes is null ? null : Parse<T>(bytes).State;
        }
        catch (Exception e) when (e is BlobCorruptedException or JsonException)
        {
            return await ReadPreviousAsync<T>(store, key) ?? throw new BlobCorruptedException(key, $"neither it nor its previous version is readable ({e.Message})");
        }
    }

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var key = KeyOf(stateName, grainId);
        VersionedBlob? blob;
        try
        {
            blob = await store.GetVersionedAsync(key);
        }
        catch (BlobCorruptedException e)
        {
            await FallBackAsync(key, e.ETag, e.Message, grainState);
            return;
        }

        if (blob is null)
        {
            grainState.RecordExists = false;
            grainState.ETag = null;
            return;
        }

        Envelope<T> envelope;
        try
        {
            envelope = Parse<T>(blob.Content);
        }
        catch (JsonException e)
        {
            await FallBackAsync(key, blob.ETag, e.Message, grainState);
            return;
        }

        grainState.State = envelope.State;
        grainState.ETag = blob.ETag;
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var key = KeyOf(stateName, grainId);
        var replaced = await ReplacedVersionAsync(key, grainState.ETag);
        var previousKey = StoreLayout.PreviousVersion(key);
        var previousVersion = replaced is null ? null : await StoredVersionAsync(previousKey);

        // The envelope's own id makes every write's content (so the file-system store's version, a hash) new.
        var envelope = new Envelope<T>(Guid.NewGuid().ToString("N"), grainState.State!);
        try
        {
            grainState.ETag = await store.PutIfAsync(key, JsonSerializer.SerializeToUtf8Bytes(envelope, JsonOptions), grainState.ETag);
        }
        catch (BlobConditionFailedException e)
        {
            throw Inconsistent(key, e.Stored, grainState.ETag);
        }

        grainState.RecordExists = true;

        // Kept only once this write won: a stale writer (a silo cut off and woken) must change nothing, not even the
        // copy. A crash before this line leaves an older previous version, which is still one to fall back to.
        // Conditional too: a writer frozen between its winning write and this one (SIGSTOP, a long pause) wakes to
        // find the copy replaced by later writers' copies, newer than its own, which it must not overwrite.
        if (replaced is not null)
        {
            try
            {
                await store.PutIfAsync(previousKey, replaced, previousVersion);
            }
            catch (BlobConditionFailedException)
            {
                // A later write's copy is there: it is the newer previous version.
            }
        }
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var key = KeyOf(stateName, grainId);

        // Not atomic with the check (the store has no conditional delete); no grain of this project clears its state.
        var stored = await StoredVersionAsync(key);
        if (!string.Equals(stored, grainState.ETag, StringComparison.Ordinal))
        {
            throw Inconsistent(key, stored, grainState.ETag);
        }

        await store.DeleteAsync(key);
        await store.DeleteAsync(StoreLayout.PreviousVersion(key));
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    private static string KeyOf(string stateName, GrainId grainId) =>
        StoreLayout.GrainState(grainId.Type.ToString()!, grainId.Key.ToString()!, stateName);

    private static InconsistentStateException Inconsistent(string key, string? stored, string? expected) =>
        new($"state '{key}' was written by someone else (stored version {stored ?? "another"}, expected {expected ?? "none"})", stored, expected);

    /// <summary>
    /// The content of the version about to be replaced, to keep as the previous version once the write succeeds;
    /// null when there is none worth keeping. Fails early (as the conditional write would) when the stored version
    /// is not the expected one.
    /// </summary>
    private async Task<byte[]?> ReplacedVersionAsync(string key, string? expected)
    {
        VersionedBlob? current;
        try
        {
            current = await store.GetVersionedAsync(key);
        }
        catch (BlobCorruptedException e)
        {
            // Nothing worth keeping; the previous version that the read fell back to stays.
            return string.Equals(e.ETag, expected, StringComparison.Ordinal) ? null : throw Inconsistent(key, e.ETag, expected);
        }

        return string.Equals(current?.ETag, expected, StringComparison.Ordinal) ? current?.Content : throw Inconsistent(key, current?.ETag, expected);
    }

    private async Task<string?> StoredVersionAsync(string key)
    {
        try
        {
            return (await store.GetVersionedAsync(key))?.ETag;
        }
        catch (BlobCorruptedException e)
        {
            return e.ETag;
        }
    }

    /// <summary>The grain activates on its previous version, or empty; its ETag is the bad blob's, so that its next write replaces it.</summary>
    private async Task FallBackAsync<T>(string key, string? storedETag, string problem, IGrainState<T> grainState)
    {
        grainState.ETag = storedETag;
        if (await ReadPreviousAsync<T>(store, key) is { } previous)
        {
            LogFellBack(key, problem);
            grainState.State = previous;
            grainState.RecordExists = true;
            return;
        }

        LogStartedEmpty(key, problem);
        grainState.RecordExists = false;
    }

    private static async Task<T?> ReadPreviousAsync<T>(IBlobStore store, string key)
    {
        try
        {
            var bytes = await store.GetAsync(StoreLayout.PreviousVersion(key));
            return bytes is null ? default : Parse<T>(bytes).State;
        }
        catch (Exception e) when (e is BlobCorruptedException or JsonException)
        {
            return default;
        }
    }

    private static Envelope<T> Parse<T>(byte[] bytes) =>
        JsonSerializer.Deserialize<Envelope<T>>(bytes, JsonOptions) is { State: not null } envelope
            ? envelope
            : throw new JsonException("the grain-state envelope holds no state");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Grain state {Key} is unreadable ({Problem}); using its previous version")]
    private partial void LogFellBack(string key, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Grain state {Key} is unreadable ({Problem}) and so is its previous version; the grain starts empty (a run's record is rebuilt by its next report or enqueue, a sweep's when it is submitted again)")]
    private partial void LogStartedEmpty(string key, string problem);

    private sealed record Envelope<T>(string ETag, T State);
}
