using ScottPlot;

namespace LearnedActivation.Model.Plots;

/// <summary>
/// Validation accuracy per epoch of several configurations on one plot: each configuration's mean over its seeds
/// as a line, and the range across its seeds as a translucent band of the same colour (a single seed is a line).
/// </summary>
public static class LearningCurvesPlot
{
    public static void Save(string path, string title, IReadOnlyList<SeedBand> configurations, int width = 1000, int height = 600)
    {
        ArgumentNullException.ThrowIfNull(configurations);
        PngOutput.ValidateTarget(path, width, height);
        using var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (var i = 0; i < configurations.Count; i++)
        {
            var band = configurations[i];
            var color = palette.GetColor(i);
            if (band.HasSpread)
            {
                var fill = plot.Add.FillY(EpochSeries.Epochs(band.Mean.Length), band.Low, band.High);
                fill.FillColor = color.WithAlpha(0.15);
                fill.LineWidth = 0;
            }

            LearningCurvePlot.AddSeries(plot, band.Mean, band.Name, color, LinePatternFor(i), plot.Axes.Left);
        }

        if (configurations.All(r => r.Mean.Length == 0))
        {
            plot.Add.Annotation("no runs with validation accuracy", Alignment.MiddleCenter);
        }

        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel("validation accuracy");
        PlotStyle.ReadableTicks(plot.Axes.Bottom, integersOnly: true);
        PlotStyle.ReadableTicks(plot.Axes.Left);
        plot.ShowLegend(Edge.Right);
        PngOutput.Save(plot, path, width, height);
    }

    // Ten colours, then the cycle repeats dashed, so up to twenty configurations (a base has 9 learned and 3 fixed)
    // stay distinguishable.
    private static LinePattern LinePatternFor(int index) => (index / 10) % 2 == 0 ? LinePattern.Solid : LinePattern.Dashed;
}
