using System.Text.Json.Serialization;

namespace LearnedActivation.Model.Analysis;

/// <summary>
/// The distribution of the values an activation received: percentiles (linear interpolation between order
/// statistics, numpy's default), mean and population standard deviation. Keys in JSON are <c>p0.5</c> ... <c>p99.5</c>.
/// </summary>
public sealed record PreActivationStats(
    long Count,
    [property: JsonPropertyName("p0.5")] double P0_5,
    [property: JsonPropertyName("p5")] double P5,
    [property: JsonPropertyName("p25")] double P25,
    [property: JsonPropertyName("p50")] double P50,
    [property: JsonPropertyName("p75")] double P75,
    [property: JsonPropertyName("p95")] double P95,
    [property: JsonPropertyName("p99.5")] double P99_5,
    double Mean,
    double Sd)
{
    /// <summary>The probabilities of the recorded percentiles, in the order of the record's members.</summary>
    public static IReadOnlyList<double> Probabilities { get; } = [0.005, 0.05, 0.25, 0.5, 0.75, 0.95, 0.995];

    /// <summary>The recorded percentiles, in the order of <see cref="Probabilities"/>.</summary>
    [JsonIgnore]
    public IReadOnlyList<double> Percentiles => [P0_5, P5, P25, P50, P75, P95, P99_5];

    /// <summary>The interquartile range p75 - p25: the unit of the z-coordinates of the analysis.</summary>
    [JsonIgnore]
    public double Iqr => P75 - P25;

    /// <summary>Statistics of <paramref name="values"/>, which this sorts in place (no copy: the test split's values can be millions).</summary>
    public static PreActivationStats FromUnsorted(Span<float> values)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException("no values to describe", nameof(values));
        }

        values.Sort();
        ReadOnlySpan<float> sorted = values;
        var sum = 0.0;
        foreach (var v in sorted)
        {
            sum += v;
        }

        var mean = sum / sorted.Length;
        var squares = 0.0;
        foreach (var v in sorted)
        {
            squares += (v - mean) * (v - mean);
        }

        return new PreActivationStats(
            sorted.Length,
            Percentile(sorted, 0.005),
            Percentile(sorted, 0.05),
            Percentile(sorted, 0.25),
            Percentile(sorted, 0.5),
            Percentile(sorted, 0.75),
            Percentile(sorted, 0.95),
            Percentile(sorted, 0.995),
            mean,
            Math.Sqrt(squares / sorted.Length));
    }

    /// <summary>
    /// Stand-in statistics for an activation whose pre-activations were not recorded: a uniform distribution whose
    /// p0.5 and p99.5 are <paramref name="min"/> and <paramref name="max"/>, so the analysis covers exactly that range,
    /// with its median in the middle. <see cref="Count"/> is 0: nothing was observed.
    /// </summary>
    public static PreActivationStats Uniform(double min, double max)
    {
        if (!(max > min) || !double.IsFinite(min) || !double.IsFinite(max))
        {
            throw new ArgumentException($"empty or infinite range [{min}, {max}]");
        }

        var width = (max - min) / 0.99;
        var start = min - (0.005 * width);
        double At(double q) => start + (q * width);
        return new PreActivationStats(0, min, At(0.05), At(0.25), At(0.5), At(0.75), At(0.95), max, At(0.5), width / Math.Sqrt(12));
    }

    /// <summary>
    /// Where <paramref name="x"/> lies in the distribution, interpolated linearly between the recorded percentiles
    /// (clamped to [0.005, 0.995] outside them). Only the percentiles are used, so the value read back from a run's
    /// metrics.json gives the same answer as at training time.
    /// </summary>
    public double QuantileOf(double x)
    {
        var p = Percentiles;
        var q = Probabilities;
        if (x <= p[0])
        {
            return q[0];
        }

        for (var k = 0; k + 1 < p.Count; k++)
        {
            if (x <= p[k + 1])
            {
                var width = p[k + 1] - p[k];
                return width > 0 ? q[k] + ((q[k + 1] - q[k]) * (x - p[k]) / width) : q[k + 1];
            }
        }

        return q[^1];
    }

    /// <summary>The <paramref name="probability"/> percentile of ascending <paramref name="sorted"/> values (numpy's "linear").</summary>
    public static double Percentile(ReadOnlySpan<float> sorted, double probability)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(probability, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(probability, 1);
        var h = (sorted.Length - 1) * probability;
        var below = (int)Math.Floor(h);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((h - below) * ((double)sorted[above] - sorted[below]));
    }
}

/// <summary>What the activation received on the whole test split: all hidden layers together, and each layer.</summary>
public sealed record PreActivationDistribution(PreActivationStats Pooled, IReadOnlyList<PreActivationStats> Layers)
{
    /// <summary>
    /// Statistics of <paramref name="values"/>, laid out as one segment per layer of the given lengths. Sorts the
    /// buffer in place (each segment, then the whole) instead of copying it.
    /// </summary>
    public static PreActivationDistribution FromLayerSegments(float[] values, IReadOnlyList<int> segmentLengths)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(segmentLengths);
        if (segmentLengths.Sum() != values.Length)
        {
            throw new ArgumentException($"segments of {segmentLengths.Sum()} values for a buffer of {values.Length}", nameof(segmentLengths));
        }

        var layers = new List<PreActivationStats>(segmentLengths.Count);
        var start = 0;
        foreach (var length in segmentLengths)
        {
            layers.Add(PreActivationStats.FromUnsorted(values.AsSpan(start, length)));
            start += length;
        }

        return new PreActivationDistribution(PreActivationStats.FromUnsorted(values), layers);
    }
}
