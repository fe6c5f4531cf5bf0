namespace LearnedActivation.Model.Plots;

/// <summary>A closed interval of x values to draw a function over.</summary>
public readonly record struct XRange
{
    public XRange(double min, double max)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max) || !(max > min))
        {
            throw new ArgumentException($"x range needs finite min < max (got [{min}, {max}])");
        }

        Min = min;
        Max = max;
    }

    public double Min { get; }

    public double Max { get; }

    /// <summary>The range every activation figure shows at least: where tanh, relu and gelu differ.</summary>
    public static XRange Default { get; } = new(-3, 3);

    /// <summary><paramref name="count"/> evenly spaced points from Min to Max, both included.</summary>
    public double[] Linspace(int count = 401)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 2);
        var points = new double[count];
        var step = (Max - Min) / (count - 1);
        for (var i = 0; i < count; i++)
        {
            points[i] = Min + (i * step);
        }

        points[^1] = Max;
        return points;
    }

    /// <summary>
    /// The x range where the pre-activations actually fall: their <paramref name="lowerPercentile"/> to
    /// <paramref name="upperPercentile"/> percentiles (linear interpolation between order statistics),
    /// widened by <paramref name="widenFraction"/> of that span on each side, and never narrower than
    /// <see cref="Default"/>. Trimming the extreme 0.5 % on each side keeps a few outliers from squashing
    /// the part of the function the network actually uses; the floor keeps the base function's
    /// characteristic shape in view even when pre-activations are concentrated near zero.
    /// Non-finite samples are ignored; no samples gives <see cref="Default"/>.
    /// </summary>
    public static XRange FromSamples(
        IReadOnlyCollection<double> samples,
        double lowerPercentile = 0.5,
        double upperPercentile = 99.5,
        double widenFraction = 0.1)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (!(lowerPercentile >= 0 && lowerPercentile < upperPercentile && upperPercentile <= 100))
        {
            throw new ArgumentException($"percentiles must satisfy 0 <= lower < upper <= 100 (got {lowerPercentile}, {upperPercentile})");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(widenFraction);
        var sorted = samples.Where(double.IsFinite).ToArray();
        if (sorted.Length == 0)
        {
            return Default;
        }

        Array.Sort(sorted);
        var low = Percentile(sorted, lowerPercentile);
        var high = Percentile(sorted, upperPercentile);
        var margin = (high - low) * widenFraction;
        return new XRange(Math.Min(low - margin, Default.Min), Math.Max(high + margin, Default.Max));
    }

    /// <summary>Percentile of sorted values, interpolating linearly between order statistics (numpy's default).</summary>
    internal static double Percentile(double[] sorted, double percent)
    {
        var position = percent / 100.0 * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        var fraction = position - below;
        return sorted[below] + (fraction * (sorted[above] - sorted[below]));
    }
}
