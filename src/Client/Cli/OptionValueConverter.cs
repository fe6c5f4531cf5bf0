using System.ComponentModel;
using System.Globalization;

namespace LearnedActivation.Client.Cli;

/// <summary>
/// Converts the text of an option's value, and refuses a bad one with a line that names the option
/// ("--seed: 'abc' is not a whole number"): Spectre's own converters say only "Failed to convert 'abc' to Int64.",
/// since a converter is given no context, so each option names itself through a subclass. Spectre wraps the
/// <see cref="UsageException"/> in its own; <see cref="LearnactApp"/> unwraps it.
/// </summary>
internal abstract class OptionValueConverter<T>(string option) : TypeConverter
    where T : struct
{
    protected string Option => option;

    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) =>
        sourceType == typeof(string) || sourceType == typeof(T) || base.CanConvertFrom(context, sourceType);

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) => value switch
    {
        T already => already,
        string text => Parse(text),
        _ => base.ConvertFrom(context, culture, value),
    };

    /// <summary>The value <paramref name="text"/> stands for; throws <see cref="UsageException"/> naming <see cref="Option"/> otherwise.</summary>
    protected abstract T Parse(string text);
}
