using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Plots;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace LearnedActivation.Model.Reporting.Transfer;

/// <summary>
/// The transfer's differences against <c>fixed</c>: per source configuration (x) one marker per arm at its mean
/// difference in percentage points, with its 95 % interval as an error bar, and the zero line.
/// </summary>
internal static class TransferFigure
{
    private const double ArmSpread = 0.6;

    public static void Save(string path, string title, IReadOnlyList<TransferRow> rows)
    {
        var width = Math.Max(700, 110 * rows.Count + 250);
        PngOutput.ValidateTarget(path, width, 500);
        var plot = new Plot();
        var arms = TransferStatistics.Compared;
        for (var a = 0; a < arms.Count; a++)
        {
            var color = Colors.Category10[a];
            var offset = arms.Count == 1 ? 0 : (a / (double)(arms.Count - 1) - 0.5) * ArmSpread;
            var points = rows.Select((row, i) => (X: i + offset, Comparison: row.Comparisons.GetValueOrDefault(arms[a])))
                .Where(p => p.Comparison is not null)
                .ToList();
            var xs = points.Select(p => p.X).ToArray();
            var ys = points.Select(p => p.Comparison!.Difference.Mean * 100).ToArray();
            var errors = points.Select(p => p.Comparison!.Difference.HasInterval ? (p.Comparison.Difference.High - p.Comparison.Difference.Mean) * 100 : 0).ToArray();
            var markers = plot.Add.ScatterPoints(xs, ys, color);
            markers.MarkerSize = 8;
            markers.LegendText = Names.Of(arms[a]);
            if (xs.Length > 0)
            {
                var bars = plot.Add.ErrorBar(xs, ys, errors);
                bars.Color = color;
            }
        }

        var zero = plot.Add.HorizontalLine(0, 1, LearnedActivation.Model.Plots.PlotStyle.Base);
        zero.LinePattern = LinePattern.Dashed;
        var ticks = new NumericManual();
        for (var i = 0; i < rows.Count; i++)
        {
            ticks.AddMajor(i, rows[i].Label.Replace(" (", "\n(", StringComparison.Ordinal));
        }

        plot.Axes.Bottom.TickGenerator = ticks;
        plot.Axes.SetLimitsX(-0.6, Math.Max(0.6, rows.Count - 0.4));
        plot.YLabel("test accuracy − fixed (pp), 95 % interval");
        plot.Title(title);
        plot.ShowLegend(Edge.Right);
        PngOutput.Save(plot, path, width, 500);
    }
}
