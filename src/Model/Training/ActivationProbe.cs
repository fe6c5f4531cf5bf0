using LearnedActivation.Model.Analysis;
using LearnedActivation.Model.Networks;
using LearnedActivation.Model.Plots;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Training;

/// <summary>Reads the learned activation out of a network: its graph and the inputs it sees.</summary>
public static class ActivationProbe
{
    /// <summary>Points of the curve in <see cref="RunResult"/>.</summary>
    public const int DefaultPoints = 1001;

    /// <summary>Most pre-activation values kept for the histogram behind the curve.</summary>
    public const int DefaultSampleSize = 20_000;

    /// <summary>The activation on an evenly spaced grid over <paramref name="range"/> (the plot code decides the range).</summary>
    public static (double[] X, double[] Y) Curve(ActivationNetwork activation, XRange range, int points = DefaultPoints)
    {
        ArgumentNullException.ThrowIfNull(activation);
        ArgumentOutOfRangeException.ThrowIfLessThan(points, 2);
        var (min, max) = (range.Min, range.Max);
        if (!(max > min))
        {
            // Only default(XRange) gets here: the constructor refuses empty ranges.
            throw new ArgumentException($"empty range [{min}, {max}]", nameof(range));
        }

        var x = new double[points];
        var xs = new float[points];
        for (var i = 0; i < points; i++)
        {
            x[i] = min + ((max - min) * i / (points - 1));
            xs[i] = (float)x[i];
        }

        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var y = activation.forward(tensor(xs)).data<float>().ToArray().Select(v => (double)v).ToArray();
        return (x, y);
    }

    /// <summary>
    /// Pre-activations (inputs of the shared activation) from every hidden layer, for evenly spaced rows of
    /// <paramref name="features"/>: whole rows, so each layer and neuron is represented in proportion.
    /// </summary>
    public static double[] SamplePreActivations(LearnedActivationNetwork model, Tensor features, int maxValues = DefaultSampleSize)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(features);
        var rows = (int)features.shape[0];
        var perRow = model.HiddenWidths.Sum();
        var take = Math.Min(rows, Math.Max(1, maxValues / perRow));
        var picked = Enumerable.Range(0, take).Select(i => (long)i * rows / take).ToArray();

        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var values = new List<double>(take * perRow);
        model.forward(features.index_select(0, tensor(picked)), (_, pre, _) => values.AddRange(pre.data<float>().ToArray().Select(v => (double)v)));
        return [.. values];
    }

    /// <summary>
    /// The distribution of every pre-activation on every row of <paramref name="features"/>, per hidden layer and
    /// pooled. All values are held once, in one float buffer with a segment per layer (50,000 rows of the largest
    /// network are under 9 million floats), so the percentiles are exact.
    /// </summary>
    public static PreActivationDistribution PreActivations(LearnedActivationNetwork model, Tensor features)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(features);
        var rows = (int)features.shape[0];
        var widths = model.HiddenWidths;
        var segments = widths.Select(w => checked(rows * w)).ToArray();
        var offsets = new int[widths.Count];
        for (var l = 1; l < widths.Count; l++)
        {
            offsets[l] = offsets[l - 1] + segments[l - 1];
        }

        var values = new float[checked(segments.Sum())];
        using var noGrad = no_grad();
        for (var start = 0; start < rows; start += ModelEvaluation.BatchSize)
        {
            using var scope = NewDisposeScope();
            var count = Math.Min(ModelEvaluation.BatchSize, rows - start);
            model.forward(features.narrow(0, start, count), (layer, pre, _) =>
                pre.contiguous().data<float>().CopyTo(values, offsets[layer] + (start * widths[layer])));
        }

        return PreActivationDistribution.FromLayerSegments(values, segments);
    }
}
