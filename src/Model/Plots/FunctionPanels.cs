using ScottPlot;

namespace LearnedActivation.Model.Plots;

/// <summary>Small-multiple panels shared by the grid and reference figures.</summary>
internal static class FunctionPanels
{
    public static Plot Curve(string title, FunctionCurve curve, FunctionCurve? faintBase, Color color)
    {
        var plot = new Plot();
        if (faintBase is not null)
        {
            var baseLine = plot.Add.ScatterLine(faintBase.X, faintBase.Y, PlotStyle.Base.WithAlpha(0.45));
            baseLine.LineWidth = PlotStyle.BaseLineWidth;
            baseLine.LinePattern = LinePattern.Dashed;
        }

        var line = plot.Add.ScatterLine(curve.X, curve.Y, color);
        line.LineWidth = PlotStyle.LearnedLineWidth;
        plot.Title(title, 15);
        plot.Axes.AutoScale();
        plot.Axes.SetLimitsX(curve.X[0], curve.X[^1]);
        return plot;
    }

    /// <summary>An empty, framed panel that says "missing": a failed run stays visible as a gap, not a shifted grid.</summary>
    public static Plot Missing(string title)
    {
        var plot = new Plot();
        plot.Title(title, 15);
        plot.Axes.Bottom.TickLabelStyle.IsVisible = false;
        plot.Axes.Left.TickLabelStyle.IsVisible = false;
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.Bottom.MinorTickStyle.Length = 0;
        plot.Axes.Left.MinorTickStyle.Length = 0;
        plot.HideGrid();
        var text = plot.Add.Annotation("missing", Alignment.MiddleCenter);
        text.LabelFontSize = 22;
        text.LabelFontColor = PlotStyle.Missing;
        text.LabelBackgroundColor = Colors.Transparent;
        text.LabelBorderColor = Colors.Transparent;
        text.LabelShadowColor = Colors.Transparent;
        return plot;
    }
}
