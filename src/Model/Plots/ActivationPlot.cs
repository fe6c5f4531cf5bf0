using ScottPlot;

namespace LearnedActivation.Model.Plots;

/// <summary>
/// The graph of one run's learned activation function: the learned curve, its base function dashed for
/// reference, and the distribution of pre-activations behind them on a secondary (right) axis, so a reader
/// sees which part of the function the network actually uses.
/// </summary>
public static class ActivationPlot
{
    public static void Save(string path, LearnedActivationFigure figure, int width = 800, int height = 600)
    {
        ArgumentNullException.ThrowIfNull(figure);
        PngOutput.ValidateTarget(path, width, height);
        using var plot = new Plot();
        var learned = figure.Learned;

        double? densityTop = figure.PreActivations is { } histogram ? AddHistogram(plot, histogram) : null;

        if (figure.Base is { } baseCurve)
        {
            var line = plot.Add.ScatterLine(baseCurve.X, baseCurve.Y, PlotStyle.Base);
            line.LineWidth = PlotStyle.BaseLineWidth;
            line.LinePattern = LinePattern.Dashed;
            line.LegendText = baseCurve.Label;
        }

        var learnedLine = plot.Add.ScatterLine(learned.X, learned.Y, PlotStyle.Learned);
        learnedLine.LineWidth = PlotStyle.LearnedLineWidth;
        learnedLine.LegendText = learned.Label;

        plot.Title(figure.Title);
        plot.XLabel(figure.XLabel);
        plot.YLabel(figure.YLabel);
        plot.Axes.AutoScale();
        plot.Axes.SetLimitsX(learned.X[0], learned.X[^1]);
        if (densityTop is { } top)
        {
            plot.Axes.SetLimitsY(0, top, plot.Axes.Right);
        }
        PlotStyle.ReadableTicks(plot.Axes.Left);
        PlotStyle.ReadableTicks(plot.Axes.Right);
        plot.ShowLegend(Alignment.UpperLeft);
        PngOutput.Save(plot, path, width, height);
    }

    /// <summary>Adds the bars on the right axis; returns that axis's top.</summary>
    internal static double AddHistogram(Plot plot, ValueHistogram histogram)
    {
        var density = histogram.Density();
        var bars = new Bar[density.Length];
        for (var i = 0; i < bars.Length; i++)
        {
            bars[i] = new Bar
            {
                Position = (histogram.Edges[i] + histogram.Edges[i + 1]) / 2,
                Size = histogram.Edges[i + 1] - histogram.Edges[i],
                Value = density[i],
                FillColor = PlotStyle.HistogramFill,
                LineWidth = 0,
            };
        }

        var barPlot = plot.Add.Bars(bars);
        barPlot.LegendText = "pre-activations";
        barPlot.Axes.YAxis = plot.Axes.Right;
        plot.Axes.Right.Label.Text = "pre-activation density";

        // Headroom above the tallest bar keeps the bars a backdrop rather than a wall behind the curve.
        var highest = density.Max();
        return highest > 0 ? highest * 1.25 : 1.0;
    }
}
