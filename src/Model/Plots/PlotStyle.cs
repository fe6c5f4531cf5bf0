using ScottPlot;
using ScottPlot.Plottables;
using ScottPlot.TickGenerators;

namespace LearnedActivation.Model.Plots;

/// <summary>The look shared by every figure: colours, line widths and the font.</summary>
internal static class PlotStyle
{
    public const float LearnedLineWidth = 2.5f;
    public const float BaseLineWidth = 1.75f;

    public static Color Learned => Colors.C0;

    public static Color Base => new(80, 80, 80);

    public static Color HistogramFill => new(120, 150, 190, 70);

    public static Color Missing => new(150, 150, 150);

    /// <summary>
    /// Fewer labelled ticks than ScottPlot's default, which on a 600-pixel axis labels every 0.05 and
    /// crowds the figure.
    /// </summary>
    public static void ReadableTicks(IAxis axis, bool integersOnly = false) =>
        axis.TickGenerator = new NumericAutomatic { TickDensity = 0.6, IntegerTicksOnly = integersOnly };

    /// <summary>
    /// Sets the font of every text element of <paramref name="plot"/>. Called just before rendering, once
    /// all axes and labels exist. Done element by element because ScottPlot's <c>plot.Font.Set</c> also
    /// changes the process-wide default font, and figures may be drawn concurrently by several runs.
    /// </summary>
    public static void ApplyFont(Plot plot)
    {
        var family = PlotFonts.Family;
        plot.Axes.Title.Label.FontName = family;
        foreach (var axis in plot.Axes.GetAxes())
        {
            axis.Label.FontName = family;
            axis.TickLabelStyle.FontName = family;
        }

        plot.Legend.FontName = family;
        foreach (var annotation in plot.GetPlottables<Annotation>())
        {
            annotation.LabelFontName = family;
        }
    }
}
