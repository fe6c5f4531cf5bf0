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
        await CheckETagAsync<T>(key, grainState.ETag);
        var envelope = new Envelope<T>(Guid.NewGuid().ToString("N"), grainState.State!);
        await store.PutAsync(key, JsonSerializer.SerializeToUtf8Bytes(envelope, JsonOptions));
        grainState.ETag = envelope.ETag;
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var key = KeyOf(stateName, grainId);
        await CheckETagAsync<T>(key, grainState.ETag);
        await store.DeleteAsync(key);
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    private static string KeyOf(string stateName, GrainId grainId) =>
        StoreLayout.GrainState(grainId.Type.ToString()!, grainId.Key.ToString()!, stateName);

    private async Task CheckETagAsync<T>(string key, string? expected)
    {
        var stored = (await ReadEnvelopeAsync<T>(key))?.ETag;
        if (!string.Equals(stored, expected, StringComparison.Ordinal))
        {
            throw new InconsistentStateException($"state '{key}' was written by someone else (stored ETag {stored ?? "none"}, expected {expected ?? "none"})", stored, expected);
        }
    }

    private async Task<Envelope<T>?> ReadEnvelopeAsync<T>(string key)
    {
        var bytes = await store.GetAsync(key);
        return bytes is null ? null : JsonSerializer.Deserialize<Envelope<T>>(bytes, JsonOptions);
    }

    private sealed record Envelope<T>(string ETag, T State);
}
