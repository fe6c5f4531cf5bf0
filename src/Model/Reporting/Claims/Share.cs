namespace LearnedActivation.Model.Reporting.Claims;

/// <summary>A count out of a total with its 95 % Wilson score interval (sound at small totals and at 0 or 100 %).</summary>
public sealed record Share(int Count, int Total)
{
    private const double Z95 = 1.959963984540054;

    public double Fraction => Total == 0 ? double.NaN : (double)Count / Total;

    public (double Low, double High) Interval
    {
        get
        {
            if (Total == 0)
            {
                return (double.NaN, double.NaN);
            }

            var p = Fraction;
            var n = (double)Total;
            var z2 = Z95 * Z95;
            var centre = (p + (z2 / (2 * n))) / (1 + (z2 / n));
            var half = Z95 * Math.Sqrt((p * (1 - p) / n) + (z2 / (4 * n * n))) / (1 + (z2 / n));
            return (Math.Max(0, centre - half), Math.Min(1, centre + half));
        }
    }

    /// <summary>True when the interval lies above <paramref name="threshold"/>, false when below, null when it straddles it or there is no run.</summary>
    public bool? Exceeds(double threshold)
    {
        if (Total == 0)
        {
            return null;
        }

        var (low, high) = Interval;
        return low > threshold ? true : high < threshold ? false : null;
    }

    public override string ToString()
    {
        if (Total == 0)
        {
            return "0 of 0";
        }

        var (low, high) = Interval;
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Count} of {Total} ({Fraction:P0}, 95 % CI {low:P0}-{high:P0})");
    }
}
