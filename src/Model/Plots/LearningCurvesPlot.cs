using ScottPlot;

namespace LearnedActivation.Model.Plots;

/// <summary>Validation accuracy per epoch of several runs on one plot, for comparing configurations.</summary>
public static class LearningCurvesPlot
{
    public static void Save(string path, string title, IReadOnlyList<EpochSeries> runs, int width = 1000, int height = 600)
    {
        ArgumentNullException.ThrowIfNull(runs);
        PngOutput.ValidateTarget(path, width, height);
        using var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (var i = 0; i < runs.Count; i++)
        {
            var run = runs[i];
            LearningCurvePlot.AddSeries(plot, run.ValidationAccuracy, run.Name, palette.GetColor(i), LinePatternFor(i), plot.Axes.Left);
        }

        if (runs.All(r => r.ValidationAccuracy.Length == 0))
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

    // Ten colours, then the cycle repeats dashed, so up to twenty runs (the sweep has 27 in all but a
    // figure shows one base's 9) stay distinguishable.
    private static LinePattern LinePatternFor(int index) => (index / 10) % 2 == 0 ? LinePattern.Solid : LinePattern.Dashed;
}
