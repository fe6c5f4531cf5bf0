using LearnedActivation.Model.Configuration;
using ScottPlot;

namespace LearnedActivation.Model.Plots;

/// <summary>One configuration's functions over all its seeds, in z-units, with their median and where the inputs fall.</summary>
/// <param name="Outer">Grid row.</param>
/// <param name="Activation">Grid column.</param>
/// <param name="Seeds">Each seed's function, on a common z grid, normalised (zero mean, unit spread, rising).</param>
/// <param name="Median">The pointwise median of <paramref name="Seeds"/>; null when there are none.</param>
/// <param name="Density">Pre-activation density over z, pooled over the seeds; null when unknown.</param>
public sealed record SeedFunctionsCell(SizePreset Outer, SizePreset Activation, IReadOnlyList<FunctionCurve> Seeds, FunctionCurve? Median, ValueHistogram? Density);

/// <summary>
/// Per base, the 3 x 3 grid (outer size by activation size) of every seed's learned function drawn thin with their
/// median thick, x in z-units of the pre-activations (z = (x - p50) / (p75 - p25)) and the inputs' density behind:
/// how much the shape varies across seeds, in the range the network uses.
/// </summary>
public static class SeedFunctionsPlot
{
    public static void Save(
        string path,
        string title,
        IReadOnlyList<SeedFunctionsCell> cells,
        IReadOnlyList<SizePreset> outerSizes,
        IReadOnlyList<SizePreset> activationSizes,
        int width,
        int height)
    {
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentNullException.ThrowIfNull(outerSizes);
        ArgumentNullException.ThrowIfNull(activationSizes);
        PngOutput.ValidateTarget(path, width, height);
        var panels = new Plot[outerSizes.Count, activationSizes.Count];
        for (var row = 0; row < outerSizes.Count; row++)
        {
            for (var column = 0; column < activationSizes.Count; column++)
            {
                var panelTitle = ActivationGridPlot.PanelTitle(outerSizes[row], activationSizes[column]);
                var cell = cells.FirstOrDefault(c => c.Outer == outerSizes[row] && c.Activation == activationSizes[column]);
                panels[row, column] = cell is { Median: not null } ? Panel(panelTitle, cell) : FunctionPanels.Missing(panelTitle);
            }
        }

        TitledPanels.Save(path, title, panels, width, height);
    }

    private static Plot Panel(string title, SeedFunctionsCell cell)
    {
        var plot = new Plot();
        double? densityTop = cell.Density is { } density ? ActivationPlot.AddHistogram(plot, density) : null;
        foreach (var seed in cell.Seeds)
        {
            var line = plot.Add.ScatterLine(seed.X, seed.Y, PlotStyle.Learned.WithAlpha(0.45));
            line.LineWidth = 1;
        }

        var median = cell.Median!;
        var medianLine = plot.Add.ScatterLine(median.X, median.Y, Colors.Black);
        medianLine.LineWidth = PlotStyle.LearnedLineWidth;
        plot.Title(title, 15);
        plot.Axes.AutoScale();
        plot.Axes.SetLimitsX(median.X[0], median.X[^1]);
        if (densityTop is { } top)
        {
            plot.Axes.SetLimitsY(0, top, plot.Axes.Right);
            plot.Axes.Right.Label.Text = string.Empty;
        }

        plot.Axes.Bottom.Label.Text = "z";
        return plot;
    }
}
