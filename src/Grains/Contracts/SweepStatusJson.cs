using System.Text.Json;
using System.Text.Json.Serialization;

namespace LearnedActivation.Grains.Contracts;

/// <summary>
/// How a <see cref="SweepStatus"/> is written as JSON for people and programs (<c>learnact status --json</c>, the
/// dashboard's status route) and read back by <c>learnact status</c>: camel-case names and enums, and NaN or
/// infinite metrics as named literals rather than an error (a diverged run's loss is shown, not lost).
/// </summary>
public static class SweepStatusJson
{
    /// <summary>The response header with the answering silo's cluster id, so a client can tell it reached the process it meant.</summary>
    public const string ClusterHeader = "X-LearnAct-Cluster";

    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The dashboard's route for a sweep's status (the id escaped).</summary>
    public static string Route(string sweepId) => $"api/sweeps/{Uri.EscapeDataString(sweepId)}/status";
}
