using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace LearnedActivation.Grains.Contracts;

/// <summary>
/// Identifies a run: "{sweepId}/{configName}", the key of its <see cref="ITrainingRunGrain"/>. Both parts
/// are storage-key segments, so both are restricted to letters, digits, '.', '_' and '-' (not leading).
/// </summary>
public readonly partial record struct RunKey(string SweepId, string ConfigName)
{
    public override string ToString() => $"{SweepId}/{ConfigName}";

    public static RunKey Parse(string text) =>
        TryParse(text, out var key) ? key : throw new FormatException($"'{text}' is not a run key (expected sweepId/configName)");

    public static bool TryParse(string? text, [NotNullWhen(true)] out RunKey key)
    {
        key = default;
        var slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (text is null || slash < 0)
        {
            return false;
        }

        var sweep = text[..slash];
        var config = text[(slash + 1)..];
        if (!IsValidName(sweep) || !IsValidName(config))
        {
            return false;
        }

        key = new RunKey(sweep, config);
        return true;
    }

    /// <summary>A sweep id or configuration name: 1-64 of [A-Za-z0-9._-], starting with a letter or digit.</summary>
    public static bool IsValidName(string? name) => name is not null && NamePattern().IsMatch(name);

    /// <summary>A valid name that is also not one the store uses at its top level (<c>logs</c>), where sweeps have their folders.</summary>
    public static bool IsValidSweepId(string? id) => IsValidName(id) && !Storage.StoreLayout.IsReservedTopLevelName(id!);

    // \z, not $: "$" also matches before a final "\n", which let "study\n" through as a name.
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\z")]
    private static partial Regex NamePattern();
}
