using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace LearnedActivation.Model.Configuration;

/// <summary>
/// Lower-case names of the enums as users type them and as they appear in file names
/// ("tanh", "small"; a member of several words in kebab case: "fixed-wide"). Parsing is strict: anything else is
/// rejected with the accepted values.
/// </summary>
public static class Names
{
    public static string Of(BaseActivation value) => Of<BaseActivation>(value);

    public static string Of(SizePreset value) => Of<SizePreset>(value);

    public static string Of(ActivationEvaluation value) => Of<ActivationEvaluation>(value);

    public static string Of(StudyArm value) => Of<StudyArm>(value);

    public static bool TryParse(string? text, [NotNullWhen(true)] out BaseActivation? value) => TryParseEnum(text, out value);

    public static bool TryParse(string? text, [NotNullWhen(true)] out SizePreset? value) => TryParseEnum(text, out value);

    public static bool TryParse(string? text, [NotNullWhen(true)] out ActivationEvaluation? value) => TryParseEnum(text, out value);

    /// <summary>Parses a base activation name; throws <see cref="ArgumentException"/> listing the accepted names.</summary>
    public static BaseActivation ParseBase(string? text) =>
        TryParse(text, out BaseActivation? value) ? value.Value : throw Unknown<BaseActivation>(text, "base activation");

    /// <summary>Parses a size name; throws <see cref="ArgumentException"/> listing the accepted names.</summary>
    public static SizePreset ParseSize(string? text) =>
        TryParse(text, out SizePreset? value) ? value.Value : throw Unknown<SizePreset>(text, "size");

    /// <summary>Parses an arm name; throws <see cref="ArgumentException"/> listing the accepted names.</summary>
    public static StudyArm ParseArm(string? text) =>
        TryParse(text, out StudyArm? value) ? value.Value : throw Unknown<StudyArm>(text, "arm");

    /// <summary>Parses an activation evaluation name; throws <see cref="ArgumentException"/> listing the accepted names.</summary>
    public static ActivationEvaluation ParseActivationEvaluation(string? text) =>
        TryParse(text, out ActivationEvaluation? value) ? value.Value : throw Unknown<ActivationEvaluation>(text, "activation evaluation");

    public static string Accepted<T>()
        where T : struct, Enum => string.Join("|", Enum.GetValues<T>().Select(v => Of(v)));

    /// <summary>The name of any of these enums (and of those to come), as <see cref="Of(BaseActivation)"/> writes it.</summary>
    public static string Of<T>(T value)
        where T : struct, Enum => Kebab(value.ToString());

    /// <summary>Parses the name of any enum value, strictly, as the typed overloads do.</summary>
    public static bool TryParse<T>(string? text, [NotNullWhen(true)] out T? value)
        where T : struct, Enum => TryParseEnum(text, out value);

    /// <summary>Enum values in JSON under the names users type (<c>"activationEval": "grid"</c>), as <see cref="Of{T}"/> writes them.</summary>
    public static JsonNamingPolicy JsonPolicy { get; } = new LowerCaseNames();

    private static ArgumentException Unknown<T>(string? text, string what)
        where T : struct, Enum => new($"unknown {what} '{text}' (expected {Accepted<T>()})");

    private sealed class LowerCaseNames : JsonNamingPolicy
    {
        public override string ConvertName(string name) => Kebab(name);
    }

    /// <summary>"FixedWide" -> "fixed-wide"; one-word names just lose their capital.</summary>
    private static string Kebab(string name)
    {
        var text = new System.Text.StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]))
            {
                text.Append('-');
            }

            text.Append(char.ToLowerInvariant(name[i]));
        }

        return text.ToString();
    }

    private static bool TryParseEnum<T>(string? text, [NotNullWhen(true)] out T? value)
        where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (string.Equals(Of(candidate), text?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }

        value = null;
        return false;
    }
}
