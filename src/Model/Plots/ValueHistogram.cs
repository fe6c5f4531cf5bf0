namespace LearnedActivation.Model.Plots;

/// <summary>
/// Counts of values in contiguous bins, drawn as light bars behind a function to show where its inputs
/// fall. Training can precompute one cheaply (no need to ship millions of raw pre-activations to a plot).
/// </summary>
/// <param name="Edges">Strictly increasing bin edges; bin i is [Edges[i], Edges[i+1]).</param>
/// <param name="Counts">One non-negative count per bin (Edges.Length - 1 of them).</param>
public sealed record ValueHistogram(double[] Edges, double[] Counts)
{
    public double[] Edges { get; init; } = CheckEdges(Edges);

    public double[] Counts { get; init; } = CheckCounts(Edges, Counts);

    public double Total => Counts.Sum();

    /// <summary>
    /// Bins the finite samples that fall inside <paramref name="range"/> into <paramref name="bins"/>
    /// equal bins; the last bin includes <see cref="XRange.Max"/>. Samples outside the range are left out
    /// on purpose: the histogram shares the function's x axis.
    /// </summary>
    public static ValueHistogram FromSamples(IEnumerable<double> samples, XRange range, int bins = 60)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        var edges = range.Linspace(bins + 1);
        var counts = new double[bins];
        var width = (range.Max - range.Min) / bins;
        foreach (var value in samples)
        {
            if (!(value >= range.Min && value <= range.Max))
            {
                continue;
            }

            var bin = Math.Min((int)((value - range.Min) / width), bins - 1);
            counts[bin]++;
        }

        return new ValueHistogram(edges, counts);
    }

    /// <summary>Probability density per bin (count / (total * width)); all zeros when there are no counts.</summary>
    public double[] Density()
    {
        var total = Total;
        var density = new double[Counts.Length];
        if (total <= 0)
        {
            return density;
        }

        for (var i = 0; i < density.Length; i++)
        {
            density[i] = Counts[i] / (total * (Edges[i + 1] - Edges[i]));
        }

        return density;
    }

    private static double[] CheckEdges(double[]? edges)
    {
        ArgumentNullException.ThrowIfNull(edges);
        if (edges.Length < 2)
        {
            throw new ArgumentException($"histogram needs at least 2 edges (got {edges.Length})", nameof(edges));
        }

        for (var i = 0; i < edges.Length; i++)
        {
            if (!double.IsFinite(edges[i]) || (i > 0 && !(edges[i] > edges[i - 1])))
            {
                throw new ArgumentException($"histogram edges must be finite and strictly increasing (Edges[{i}]={edges[i]})", nameof(edges));
            }
        }

        return edges;
    }

    private static double[] CheckCounts(double[]? edges, double[]? counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (edges is not null && counts.Length != edges.Length - 1)
        {
            throw new ArgumentException($"histogram with {edges.Length} edges needs {edges.Length - 1} counts (got {counts.Length})", nameof(counts));
        }

        if (counts.Any(c => !double.IsFinite(c) || c < 0))
        {
            throw new ArgumentException("histogram counts must be finite and non-negative", nameof(counts));
        }

        return counts;
    }
}
