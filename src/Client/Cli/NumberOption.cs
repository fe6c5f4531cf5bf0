using System.Globalization;

namespace LearnedActivation.Client.Cli;

/// <summary>
/// The value of an option that takes a real number: "--learning-rate: 'abc' is not a number". The range is each
/// command's to check.
/// </summary>
internal abstract class NumberOption(string option) : OptionValueConverter<double>(option)
{
    protected override double Parse(string text)
    {
        // Invariant culture: "0.001" means the same on every machine, and "0,001" is refused rather than read as 1.
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
        {
            return number;
        }

        throw new UsageException($"{Option}: '{text}' is not a number");
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
