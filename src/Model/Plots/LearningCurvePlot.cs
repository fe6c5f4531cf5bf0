using ScottPlot;

namespace LearnedActivation.Model.Plots;

/// <summary>One run's learning curves: train and validation loss on the left axis, validation accuracy on the right.</summary>
public static class LearningCurvePlot
{
    public static void Save(string path, string title, EpochSeries run, int width = 800, int height = 600)
    {
        ArgumentNullException.ThrowIfNull(run);
        PngOutput.ValidateTarget(path, width, height);
        using var plot = new Plot();

        AddSeries(plot, run.TrainLoss, "train loss", Colors.C0, LinePattern.Solid, plot.Axes.Left);
        AddSeries(plot, run.ValidationLoss, "validation loss", Colors.C1, LinePattern.Solid, plot.Axes.Left);
        AddSeries(plot, run.ValidationAccuracy, "validation accuracy", Colors.C2, LinePattern.Dashed, plot.Axes.Right);

        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel("loss (BCE)");
        plot.Axes.Right.Label.Text = "validation accuracy";
        PlotStyle.ReadableTicks(plot.Axes.Bottom, integersOnly: true);
        PlotStyle.ReadableTicks(plot.Axes.Left);
        PlotStyle.ReadableTicks(plot.Axes.Right);

        // Below the plot: inside it, the legend always covers some curve (losses fall, accuracy rises).
        plot.ShowLegend(Edge.Bottom);
        PngOutput.Save(plot, path, width, height);
    }

    internal static void AddSeries(Plot plot, double[] values, string label, Color color, LinePattern pattern, IYAxis axis)
    {
        if (values.Length == 0)
        {
            return;
        }

        var line = plot.Add.Scatter(EpochSeries.Epochs(values.Length), values, color);
        line.LineWidth = 2;
        line.MarkerSize = values.Length <= 50 ? 5 : 0;
        line.LinePattern = pattern;
        line.LegendText = label;
        line.Axes.YAxis = axis;
    }
}
