using System.Text.Json;
using System.Text.Json.Serialization;

namespace LearnedActivation.Client.Tests.Support;

/// <summary>A sweep spec as a user writes it for <c>learnact sweep --spec FILE.json</c>.</summary>
internal sealed record SweepSpecFile(
    string Id,
    IReadOnlyList<string> Bases,
    IReadOnlyList<string> OuterSizes,
    IReadOnlyList<string> ActivationSizes,
    int Epochs,
    SweepSpecData Data)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public IReadOnlyList<long> Seeds { get; init; } = [0];

    /// <summary>The learned arm only, unless a test says otherwise (the default study adds the fixed baselines).</summary>
    public IReadOnlyList<string> Arms { get; init; } = ["learned"];

    /// <summary>
    /// The stopping rule's patience; by default the cap itself, so a test's runs train exactly <see cref="Epochs"/>
    /// epochs (what these tests time their kills, signals and status calls by) and never stop on a plateau.
    /// </summary>
    public int Patience { get; init; } = Epochs;

    /// <summary>The configuration names the sweep's runs get: {base}_{outer}_{activation} (one seed).</summary>
    [JsonIgnore]
    public IReadOnlyList<string> ConfigNames =>
        [.. from b in Bases from o in OuterSizes from a in ActivationSizes select $"{b}_{o}_{a}"];

    public string Write(string path)
    {
        File.WriteAllText(path, ToJson());
        return path;
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);
}

internal sealed record SweepSpecData(string File, string Target);
