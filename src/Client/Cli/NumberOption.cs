using System.ComponentModel;
using System.Globalization;

namespace LearnedActivation.Client.Cli;

/// <summary>
/// Converts the value of an option that takes a real number, and refuses a bad one with a line that names the option
/// ("--learning-rate: 'abc' is not a number"), as <see cref="WholeNumberOption{T}"/> does for whole numbers: Spectre's
/// own converter says only "Failed to convert 'abc' to Double.". The range is each command's to check.
/// </summary>
internal abstract class NumberOption(string option) : TypeConverter
{
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) =>
        sourceType == typeof(string) || sourceType == typeof(double) || base.CanConvertFrom(context, sourceType);

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value)
    {
        if (value is double number)
        {
            return number;
        }

        if (value is not string text)
        {
            return base.ConvertFrom(context, culture, value);
        }

        // Invariant culture: "0.001" means the same on every machine, and "0,001" is refused rather than read as 1.
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number) && double.IsFinite(number))
        {
            return number;
        }

        throw new UsageException($"{option}: '{text}' is not a number");
    }
}

/// <summary>The value of <c>--learning-rate</c>.</summary>
internal sealed class LearningRateOption() : NumberOption("--learning-rate");

/// <summary>The value of <c>--lr-warmup</c>.</summary>
internal sealed class WarmupOption() : NumberOption("--lr-warmup");

/// <summary>The value of <c>--rollback-above</c>.</summary>
internal sealed class RollbackAboveOption() : NumberOption("--rollback-above");

/// <summary>The value of <c>--activation-lr-scale</c>.</summary>
internal sealed class ActivationRateScaleOption() : NumberOption("--activation-lr-scale");

/// <summary>The value of <c>--activation-curvature</c>.</summary>
internal sealed class CurvatureOption() : NumberOption("--activation-curvature");
