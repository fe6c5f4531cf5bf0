using ScottPlot;

namespace LearnedActivation.Model.Plots;

/// <summary>
/// All learned functions of one base activation overlaid after <see cref="CurveNormalisation.Affine"/>,
/// against the equally normalised base function, so differences in shape (not in the arbitrary scale,
/// offset or sign each run happened to learn) stand out.
/// </summary>
public static class OverlayPlot
{
    public static void Save(string path, string title, FunctionCurve baseCurve, IReadOnlyList<FunctionCurve> learned, int width = 1000, int height = 650)
    {
        ArgumentNullException.ThrowIfNull(baseCurve);
        ArgumentNullException.ThrowIfNull(learned);
        PngOutput.ValidateTarget(path, width, height);
        using var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (var i = 0; i < learned.Count; i++)
        {
            var curve = CurveNormalisation.Affine(learned[i]);
            var line = plot.Add.ScatterLine(curve.X, curve.Y, palette.GetColor(i));
            line.LineWidth = 2;
            line.LinePattern = (i / 10) % 2 == 0 ? LinePattern.Solid : LinePattern.Dashed;
            line.LegendText = curve.Label;
        }

        var normalisedBase = CurveNormalisation.Affine(baseCurve);
        var baseLine = plot.Add.ScatterLine(normalisedBase.X, normalisedBase.Y, Colors.Black);
        baseLine.LineWidth = 3;
        baseLine.LinePattern = LinePattern.Dashed;
        baseLine.LegendText = normalisedBase.Label;

        plot.Title(title);
        plot.XLabel("pre-activation x");
        plot.YLabel("normalised f(x): zero mean, unit std, rising");
        PlotStyle.ReadableTicks(plot.Axes.Left);
        plot.ShowLegend(Edge.Right);
        PngOutput.Save(plot, path, width, height);
    }
}
