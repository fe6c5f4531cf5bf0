using MathNet.Numerics.Distributions;

namespace LearnedActivation.Model.Reporting.Statistics;

/// <summary>
/// The mean of a metric over seeds with its two-sided 95 % Student t confidence interval. With one value there is
/// no interval (<see cref="HasInterval"/> is false; <see cref="Low"/> and <see cref="High"/> are NaN): a single seed
/// says nothing about the noise, and reporting a zero-width interval would claim it does.
/// </summary>
/// <param name="N">Number of values (seeds or pairs).</param>
/// <param name="Mean">Their mean.</param>
/// <param name="Low">Lower end of the 95 % interval.</param>
/// <param name="High">Upper end of the 95 % interval.</param>
public sealed record MeanInterval(int N, double Mean, double Low, double High)
{
    public const double Confidence = 0.95;

    public bool HasInterval => N >= 2 && double.IsFinite(Low) && double.IsFinite(High);

    /// <summary>Whether the interval lies entirely above or entirely below zero.</summary>
    public bool ExcludesZero => HasInterval && (Low > 0 || High < 0);

    /// <summary>The t-interval of the finite values among <paramref name="values"/>; null when there are none.</summary>
    public static MeanInterval? Of(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var v = values.Where(double.IsFinite).ToArray();
        if (v.Length == 0)
        {
            return null;
        }

        var mean = v.Average();
        if (v.Length == 1)
        {
            return new MeanInterval(1, mean, double.NaN, double.NaN);
        }

        var variance = v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1);
        var t = StudentT.InvCDF(0.0, 1.0, v.Length - 1, 1.0 - ((1.0 - Confidence) / 2.0));
        var half = t * Math.Sqrt(variance / v.Length);
        return new MeanInterval(v.Length, mean, mean - half, mean + half);
    }
}
