using System.Text.Json;
using System.Text.Json.Serialization;
using Orleans.Storage;

namespace LearnedActivation.Grains.Storage;

/// <summary>
/// Orleans grain storage on top of <see cref="IBlobStore"/>, so that sweep and run state survive the
/// process (Orleans' memory storage does not, and it ships no file-system provider). State is JSON in an
/// envelope with an ETag; a write whose ETag no longer matches the stored one fails with
/// <see cref="InconsistentStateException"/>, as Orleans expects of a provider, so that two activations
/// of one grain cannot silently overwrite each other.
/// </summary>
public sealed class BlobGrainStorage(IBlobStore store) : IGrainStorage
{
    /// <summary>How the envelope's ETag is spelled in JSON (<see cref="JsonOptions"/> names properties in camel case).</summary>
    private static readonly byte[] ETagProperty = "eTag"u8.ToArray();

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
    /// silo, for read-only views of a store; null when none is stored.
    /// </summary>
    public static async Task<T?> ReadStoredAsync<T>(IBlobStore store, string key, CancellationToken cancellationToken = default)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(store);
        var bytes = await store.GetAsync(key, cancellationToken);
        return bytes is null ? null : JsonSerializer.Deserialize<Envelope<T>>(bytes, JsonOptions)?.State;
    }

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var envelope = await ReadEnvelopeAsync<T>(KeyOf(stateName, grainId));
        if (envelope is null)
        {
            grainState.RecordExists = false;
            grainState.ETag = null;
            return;
        }

        grainState.State = envelope.State;
        grainState.ETag = envelope.ETag;
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var key = KeyOf(stateName, grainId);
        await CheckETagAsync(key, grainState.ETag);
        var envelope = new Envelope<T>(Guid.NewGuid().ToString("N"), grainState.State!);
        await store.PutAsync(key, JsonSerializer.SerializeToUtf8Bytes(envelope, JsonOptions));
        grainState.ETag = envelope.ETag;
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var key = KeyOf(stateName, grainId);
        await CheckETagAsync(key, grainState.ETag);
        await store.DeleteAsync(key);
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    private static string KeyOf(string stateName, GrainId grainId) =>
        StoreLayout.GrainState(grainId.Type.ToString()!, grainId.Key.ToString()!, stateName);

    private async Task CheckETagAsync(string key, string? expected)
    {
        var bytes = await store.GetAsync(key);
        var stored = bytes is null ? null : StoredETag(bytes);
        if (!string.Equals(stored, expected, StringComparison.Ordinal))
        {
            throw new InconsistentStateException($"state '{key}' was written by someone else (stored ETag {stored ?? "none"}, expected {expected ?? "none"})", stored, expected);
        }
    }

    /// <summary>
    /// The envelope's ETag alone: a write checks it without deserialising the state it replaces (a sweep's
    /// state holds every run's status).
    /// </summary>
    private static string? StoredETag(byte[] bytes)
    {
        var reader = new Utf8JsonReader(bytes);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("a grain-state envelope must be a JSON object");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isETag = reader.ValueTextEquals(ETagProperty);
            reader.Read();
            if (isETag)
            {
                return reader.TokenType == JsonTokenType.Null ? null : reader.GetString();
            }

            reader.Skip();
        }

        return null;
    }

    private async Task<Envelope<T>?> ReadEnvelopeAsync<T>(string key)
    {
        var bytes = await store.GetAsync(key);
        return bytes is null ? null : JsonSerializer.Deserialize<Envelope<T>>(bytes, JsonOptions);
    }

    private sealed record Envelope<T>(string ETag, T State);
}
