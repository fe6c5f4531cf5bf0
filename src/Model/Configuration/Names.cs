using System.Diagnostics.CodeAnalysis;

namespace LearnedActivation.Model.Configuration;

/// <summary>
/// Lower-case names of the enums as users type them and as they appear in file names
/// ("tanh", "small"). Parsing is strict: anything else is rejected with the accepted values.
/// </summary>
public static class Names
{
    public static string Of(BaseActivation value) => value.ToString().ToLowerInvariant();

    public static string Of(SizePreset value) => value.ToString().ToLowerInvariant();

    public static bool TryParse(string? text, [NotNullWhen(true)] out BaseActivation? value) => TryParseEnum(text, out value);

    public static bool TryParse(string? text, [NotNullWhen(true)] out SizePreset? value) => TryParseEnum(text, out value);

    public static string Accepted<T>()
        where T : struct, Enum => string.Join("|", Enum.GetValues<T>().Select(v => v.ToString().ToLowerInvariant()));

    private static bool TryParseEnum<T>(string? text, [NotNullWhen(true)] out T? value)
        where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (string.Equals(candidate.ToString(), text?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }

        value = null;
        return false;
    }
}
