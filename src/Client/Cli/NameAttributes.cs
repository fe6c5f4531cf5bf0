using System.ComponentModel;
using System.Globalization;
using LearnedActivation.Model.Configuration;
using Spectre.Console;

namespace LearnedActivation.Client.Cli;

/// <summary>
/// The help text of an option that takes a name: <c>{0}</c> in the text becomes the accepted names read from the
/// enum ("tanh|relu|gelu"), <c>{1}</c> the name of <paramref name="defaultValue"/>, so a new value shows up in
/// help without editing it. Spectre reads the description through <see cref="DescriptionAttribute.Description"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class NamesDescriptionAttribute<T>(string format, object? defaultValue = null) : DescriptionAttribute
    where T : struct, Enum
{
    public override string Description => string.Format(
        CultureInfo.InvariantCulture,
        format,
        Names.Accepted<T>(),
        defaultValue is T value ? Names.Of(value) : null);
}

/// <summary>
/// The help text of a size option: every size with its hidden widths from <see cref="StudyPresets"/>
/// ("small [48,24] | medium [48,24,16] | ...").
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class SizesDescriptionAttribute(string lead, bool activationNetwork) : DescriptionAttribute
{
    public override string Description
    {
        get
        {
            var sizes = Enum.GetValues<SizePreset>().Select(size =>
            {
                var widths = activationNetwork ? StudyPresets.ActivationHidden(size) : StudyPresets.OuterHidden(size);
                return $"{Names.Of(size)} [{string.Join(',', widths)}]";
            });

            // Brackets are Spectre markup: escaped, or the help would swallow them (or fail to render).
            return $"{lead}: {Markup.Escape(string.Join(" | ", sizes))}.";
        }
    }
}

/// <summary>
/// The default of an option that takes a name, given as the enum value of the configuration types
/// (<c>[DefaultName&lt;BaseActivation&gt;(ModelConfig.DefaultBase)]</c>): help shows it as users type it ("tanh"),
/// and the option's <see cref="NameOption{T}"/> converts it back.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class DefaultNameAttribute<T>(object value) : DefaultValueAttribute(value)
    where T : struct, Enum
{
    public override object? Value => base.Value is T name ? Names.Of(name) : base.Value;
}
