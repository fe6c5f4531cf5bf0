using System.Text.Json;
using System.Text.Json.Serialization;

namespace LearnedActivation.Model.Reporting;

/// <summary>
/// JSON form of <see cref="RunSummary"/> for storing it. Enums are written by name (a stored file stays
/// readable and survives enum reordering), and NaN or infinite metrics of a diverged run are written as
/// "NaN"/"Infinity" instead of making serialisation throw at the end of a sweep.
/// </summary>
public static class RunSummaryJson
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    public static string Serialize(RunSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return JsonSerializer.Serialize(summary, Options);
    }

    /// <summary>Reads a summary; throws <see cref="JsonException"/> when the text is not one.</summary>
    public static RunSummary Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return JsonSerializer.Deserialize<RunSummary>(json, Options) ?? throw new JsonException("run summary JSON is null");
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            WriteIndented = false,
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
