using ScottPlot;
using ScottPlot.TickGenerators;

namespace LearnedActivation.Model.Plots;

/// <summary>
/// Draws <see cref="CellMatrix"/> panels (one or several side by side): each cell a rectangle coloured by its value
/// on a Viridis scale from the panel's minimum to its maximum, with its text on top. Drawn from rectangles rather than
/// an image heatmap so that every cell keeps crisp edges and its label.
/// </summary>
public static class CellMatrixPlot
{
    public static void Save(string path, string title, IReadOnlyList<CellMatrix> panels, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(panels);
        if (panels.Count == 0)
        {
            throw new ArgumentException("no panels to draw", nameof(panels));
        }

        PngOutput.ValidateTarget(path, width, height);
        var plots = new Plot[1, panels.Count];
        for (var i = 0; i < panels.Count; i++)
        {
            plots[0, i] = Panel(panels[i]);
        }

        TitledPanels.Save(path, title, plots, width, height);
    }

    internal static Plot Panel(CellMatrix matrix)
    {
        var plot = new Plot();
        var (rows, columns) = (matrix.RowLabels.Count, matrix.ColumnLabels.Count);
        var finite = matrix.Values.Cast<double>().Where(double.IsFinite).ToList();
        var (low, high) = finite.Count > 0 ? (finite.Min(), finite.Max()) : (0.0, 1.0);
        var colormap = new ScottPlot.Colormaps.Viridis();
        var fontSize = rows <= 12 ? 16f : 0f;
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                var value = matrix.Values[r, c];
                var top = rows - r;
                var cell = plot.Add.Rectangle(c, c + 1, top - 1, top);
                cell.FillColor = double.IsFinite(value) ? colormap.GetColor(high > low ? (value - low) / (high - low) : 0.5) : PlotStyle.Missing;
                cell.LineWidth = rows <= 12 ? 1 : 0;
                cell.LineColor = Colors.White;
                if (matrix.CellText?[r, c] is { Length: > 0 } text && fontSize > 0)
                {
                    var label = plot.Add.Text(text, c + 0.5, top - 0.5);
                    label.LabelFontSize = fontSize;
                    label.LabelAlignment = Alignment.MiddleCenter;
                    label.LabelFontColor = Colors.White;
                    label.LabelBackgroundColor = Colors.Black.WithAlpha(0.35);
                }
            }
        }

        plot.Axes.Bottom.TickGenerator = Ticks(matrix.ColumnLabels, i => i + 0.5, columns <= 12);
        plot.Axes.Left.TickGenerator = Ticks(matrix.RowLabels, i => rows - i - 0.5, rows <= 12);
        plot.Axes.SetLimits(0, columns, 0, rows);
        plot.HideGrid();
        plot.Title(matrix.Title, 15);
        return plot;
    }

    private static NumericManual Ticks(IReadOnlyList<string> labels, Func<int, double> position, bool every)
    {
        var ticks = new NumericManual();
        // A large matrix labels every n-th row or column so the labels stay legible.
        var step = every ? 1 : Math.Max(1, labels.Count / 20);
        for (var i = 0; i < labels.Count; i += step)
        {
            ticks.AddMajor(position(i), labels[i]);
        }

        return ticks;
    }
}
