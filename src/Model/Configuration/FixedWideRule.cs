using System.Globalization;

namespace LearnedActivation.Model.Configuration;

/// <summary>
/// The capacity-fair baseline's widths: every hidden layer of the outer preset widened by one common factor
/// (widths rounded up), the smallest factor on a 0.01 grid from 1 whose parameter count is at least that of the
/// learned network with the LARGE activation network and the same outer preset, so the baseline is never
/// smaller than any learned run it is compared with. The count depends on the number of input features.
/// </summary>
public static class FixedWideRule
{
    /// <summary>Steps in which the factor grows: fine enough that the count lands within one step of the target.</summary>
    public const double FactorStep = 0.01;

    /// <summary>The factor, the widened widths, and the parameter count they must reach.</summary>
    public sealed record WideLayers(double Factor, IReadOnlyList<int> Widths, long Parameters, long Target);

    public static WideLayers For(SizePreset outer, int inputWidth)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputWidth);
        var preset = StudyPresets.OuterHidden(outer);
        var target = ParameterCounts.OfOuter(inputWidth, preset) + ParameterCounts.OfActivation(StudyPresets.ActivationHidden(SizePreset.Large));
        for (var step = 0; ; step++)
        {
            // Decimal steps (not repeated addition) so the factor is exactly 1 + step/100 and reproducible.
            var factor = 1 + (step * FactorStep);
            IReadOnlyList<int> widths = [.. preset.Select(w => Widen(w, factor))];
            var parameters = ParameterCounts.OfOuter(inputWidth, widths);
            if (parameters >= target)
            {
                return new WideLayers(Math.Round(factor, 2), widths, parameters, target);
            }
        }
    }

    /// <summary>"x1.23: [59, 30]" for messages.</summary>
    public static string Describe(WideLayers widening)
    {
        ArgumentNullException.ThrowIfNull(widening);
        return string.Create(CultureInfo.InvariantCulture, $"x{widening.Factor:0.00}: [{string.Join(", ", widening.Widths)}]");
    }

    // The small epsilon keeps 48 x 1.25 = 60.000000000000007 at 60.
    private static int Widen(int width, double factor) => (int)Math.Ceiling((width * factor) - 1e-9);
}
