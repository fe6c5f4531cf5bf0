namespace LearnedActivation.Model.Data;

/// <summary>
/// Per-feature standardisation. Statistics come from the training split only and are applied unchanged to
/// validation and test, so nothing about held-out rows leaks into training.
/// </summary>
public static class FeatureStandardizer
{
    /// <summary>
    /// Mean and <b>population</b> standard deviation (divide by n, as scikit-learn's StandardScaler does) of
    /// each feature, computed in double. A feature that is constant in <paramref name="train"/> gets a
    /// standard deviation of 1, so it is only centred rather than divided by zero.
    /// </summary>
    public static FeatureScaling Fit(TabularData train)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (train.Rows == 0)
        {
            throw new ArgumentException("cannot fit scaling on an empty table", nameof(train));
        }

        var width = train.Width;
        var sum = new double[width];
        for (var r = 0; r < train.Rows; r++)
        {
            var row = train.Features.AsSpan(r * width, width);
            for (var f = 0; f < width; f++)
            {
                sum[f] += row[f];
            }
        }

        var mean = sum.Select(s => s / train.Rows).ToArray();

        // Two passes: sum of squared deviations is exact enough where E[x^2] - E[x]^2 would cancel.
        var squares = new double[width];
        for (var r = 0; r < train.Rows; r++)
        {
            var row = train.Features.AsSpan(r * width, width);
            for (var f = 0; f < width; f++)
            {
                var d = row[f] - mean[f];
                squares[f] += d * d;
            }
        }

        var std = squares.Select(s => Math.Sqrt(s / train.Rows)).Select(s => s > 0 ? s : 1.0).ToArray();
        return new FeatureScaling(mean, std);
    }

    /// <summary>A new table with every feature replaced by (x - mean) / std, rounded to float32.</summary>
    public static TabularData Apply(TabularData data, FeatureScaling scaling)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(scaling);
        var width = data.Width;
        if (scaling.Mean.Count != width || scaling.StdDev.Count != width)
        {
            throw new ArgumentException($"scaling has {scaling.Mean.Count} features, the table {width}", nameof(scaling));
        }

        var mean = scaling.Mean.ToArray();
        var std = scaling.StdDev.ToArray();
        var features = new float[data.Features.Length];
        for (var r = 0; r < data.Rows; r++)
        {
            var offset = r * width;
            for (var f = 0; f < width; f++)
            {
                features[offset + f] = (float)((data.Features[offset + f] - mean[f]) / std[f]);
            }
        }

        return new TabularData(data.Source, data.FeatureNames, data.TargetName, features, (float[])data.Labels.Clone(), data.Mapping);
    }
}
