namespace LearnedActivation.Model.Analysis;

/// <summary>
/// Measures a function sampled on an ascending grid, in the units of its pre-activations. Pure: from arrays and
/// the pooled statistics only. Slopes are those of the piecewise-linear interpolant of the samples, so integrals
/// over sub-intervals whose ends fall between grid points are exact for that interpolant.
/// </summary>
public static class ShapeAnalysis
{
    /// <summary>Extrema below this share of R are ripples, not features.</summary>
    public const double MinProminence = 0.02;

    /// <summary>A tail whose mean slope is below this share of the interval's mean slope R / |I| is flat.</summary>
    public const double FlatTail = 0.1;

    public static ActivationShape Measure(IReadOnlyList<double> x, IReadOnlyList<double> f, PreActivationStats pooled)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(pooled);
        if (x.Count != f.Count || x.Count < 3)
        {
            throw new ArgumentException($"need at least 3 samples with one value each (got {x.Count} x and {f.Count} f)", nameof(f));
        }

        var range = f.Max() - f.Min();
        var extrema = Extrema(x, f, range, pooled);
        var dominant = extrema.MaxBy(e => e.Prominence);
        var (lo, hi) = (x[0], x[^1]);
        var variation = 0.0;
        for (var i = 0; i + 1 < f.Count; i++)
        {
            variation += Math.Abs(f[i + 1] - f[i]);
        }

        var meanSlope = range / (hi - lo);
        return new ActivationShape(
            extrema,
            dominant is null ? null : new DominantExtremum(dominant.X, dominant.Z, dominant.Kind, dominant.Prominence, pooled.QuantileOf(dominant.X)),
            range > 0 ? variation / range : 0,
            Asymmetry(MeanAbsSlope(x, f, lo, pooled.P50), MeanAbsSlope(x, f, pooled.P50, hi)),
            Tails(Relative(MeanAbsSlope(x, f, lo, pooled.P5), meanSlope), Relative(MeanAbsSlope(x, f, pooled.P95, hi), meanSlope)));
    }

    /// <summary>∫|f'| over [a, b] ∩ grid, divided by b - a, for the piecewise-linear interpolant; 0 when b &lt;= a.</summary>
    public static double MeanAbsSlope(IReadOnlyList<double> x, IReadOnlyList<double> f, double a, double b)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(f);
        if (!(b > a))
        {
            return 0;
        }

        var integral = 0.0;
        for (var i = 0; i + 1 < x.Count; i++)
        {
            var overlap = Math.Min(b, x[i + 1]) - Math.Max(a, x[i]);
            if (overlap > 0)
            {
                integral += Math.Abs((f[i + 1] - f[i]) / (x[i + 1] - x[i])) * overlap;
            }
        }

        return integral / (b - a);
    }

    private static double Asymmetry(double left, double right) => (left, right) switch
    {
        (0, 0) => 0,
        _ => Math.Log2(right / left),
    };

    private static double Relative(double slope, double meanSlope) => meanSlope > 0 ? slope / meanSlope : 0;

    private static TailSlopes Tails(double left, double right) => new(left, right, left < FlatTail, right < FlatTail);

    /// <summary>
    /// Interior local extrema (a flat run counts as one, at its middle; runs touching an end are not interior) whose
    /// topographic prominence is at least <see cref="MinProminence"/> R. Prominence as scipy.signal.peak_prominences:
    /// on each side, walk until a strictly higher point (for a maximum) or the end, take the lowest value passed; the
    /// prominence is the peak's height above the higher of the two.
    /// </summary>
    private static List<Extremum> Extrema(IReadOnlyList<double> x, IReadOnlyList<double> f, double range, PreActivationStats pooled)
    {
        var found = new List<Extremum>();
        if (!(range > 0))
        {
            return found;
        }

        var n = f.Count;
        var i = 1;
        while (i < n - 1)
        {
            var j = i;
            while (j + 1 < n && f[j + 1] == f[i])
            {
                j++;
            }

            if (j < n - 1)
            {
                var (before, after, value) = (f[i - 1], f[j + 1], f[i]);
                ExtremumKind? kind = before < value && after < value ? ExtremumKind.Max : before > value && after > value ? ExtremumKind.Min : null;
                if (kind is { } k)
                {
                    var sign = k == ExtremumKind.Max ? 1.0 : -1.0;
                    var prominence = Prominence(f, i, j, sign) / range;
                    if (prominence >= MinProminence)
                    {
                        var at = (x[i] + x[j]) / 2;
                        found.Add(new Extremum(at, (at - pooled.P50) / pooled.Iqr, k, prominence));
                    }
                }
            }

            i = j + 1;
        }

        return found;
    }

    /// <summary>Prominence of the flat run [first, last] of sign * f, which is a strict local maximum of it.</summary>
    private static double Prominence(IReadOnlyList<double> f, int first, int last, double sign)
    {
        var peak = sign * f[first];
        var leftBase = peak;
        for (var k = first - 1; k >= 0 && sign * f[k] <= peak; k--)
        {
            leftBase = Math.Min(leftBase, sign * f[k]);
        }

        var rightBase = peak;
        for (var k = last + 1; k < f.Count && sign * f[k] <= peak; k++)
        {
            rightBase = Math.Min(rightBase, sign * f[k]);
        }

        return peak - Math.Max(leftBase, rightBase);
    }
}
