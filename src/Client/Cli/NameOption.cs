using System.ComponentModel;
using System.Globalization;
using LearnedActivation.Model.Configuration;

namespace LearnedActivation.Client.Cli;

/// <summary>
/// Converts the value of an option that names an enum value ("tanh", "small", "grid") into the enum, the one way
/// every command parses names. A bad name is refused with a line that names the option, the value and the
/// accepted names taken from the enum ("--base: unknown base activation 'swish' (expected tanh|relu|gelu)"),
/// which <see cref="LearnactApp"/> turns into exit code 2. Like <see cref="WholeNumberOption{T}"/>, each option
/// names itself through a subclass, because a converter is given no context; a new enum option is one line below.
/// </summary>
internal abstract class NameOption<T>(string option, string what) : TypeConverter
    where T : struct, Enum
{
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) =>
        sourceType == typeof(string) || sourceType == typeof(T) || base.CanConvertFrom(context, sourceType);

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) => value switch
    {
        T name => name,
        string text when Names.TryParse(text, out T? name) => name.Value,
        string text => throw new UsageException($"{option}: unknown {what} '{text}' (expected {Names.Accepted<T>()})"),
        _ => base.ConvertFrom(context, culture, value),
    };
}

/// <summary>The value of <c>--base</c>.</summary>
internal sealed class BaseOption() : NameOption<BaseActivation>("--base", "base activation");

/// <summary>The value of <c>--outer</c>.</summary>
internal sealed class OuterSizeOption() : NameOption<SizePreset>("--outer", "size");

/// <summary>The value of <c>--act</c>.</summary>
internal sealed class ActivationSizeOption() : NameOption<SizePreset>("--act", "size");

/// <summary>The value of <c>--activation-eval</c> (train and sweep).</summary>
internal sealed class EvaluationModeOption() : NameOption<ActivationEvaluation>("--activation-eval", "mode");

/// <summary>The value of <c>--arm</c>.</summary>
internal sealed class ArmOption() : NameOption<StudyArm>("--arm", "arm");
