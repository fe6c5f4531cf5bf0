using ScottPlot;

namespace LearnedActivation.Model.Plots;

/// <summary>
/// A figure made of a title strip above a rows x columns grid of panels, built on ScottPlot's
/// <see cref="Multiplot"/> with a layout of our own (its stock Grid layout has no room for a figure title).
/// </summary>
internal static class TitledPanels
{
    public static void Save(string path, string title, Plot[,] panels, int width, int height, float titleHeight = 48)
    {
        var rows = panels.GetLength(0);
        var columns = panels.GetLength(1);
        var header = new Plot();
        header.HideAxesAndGrid();
        header.Layout.Frameless();
        var text = header.Add.Annotation(title, Alignment.MiddleCenter);
        text.LabelFontSize = 20;
        text.LabelBold = true;
        text.LabelBackgroundColor = Colors.Transparent;
        text.LabelBorderColor = Colors.Transparent;
        text.LabelShadowColor = Colors.Transparent;

        var multiplot = new Multiplot(header);
        for (var row = 0; row < rows; row++)
        {
            for (var column = 0; column < columns; column++)
            {
                multiplot.AddPlot(panels[row, column]);
            }
        }

        multiplot.Layout = new HeaderGridLayout(rows, columns, titleHeight);
        try
        {
            PngOutput.Save(multiplot, path, width, height);
        }
        finally
        {
            foreach (var plot in multiplot.GetPlots())
            {
                plot.Dispose();
            }
        }
    }

    private sealed class HeaderGridLayout(int rows, int columns, float headerHeight) : IMultiplotLayout
    {
        public PixelRect[] GetSubplotRectangles(SubplotCollection subplots, PixelRect figureRect)
        {
            var rects = new PixelRect[subplots.Count];
            var top = figureRect.Top + headerHeight;
            rects[0] = new PixelRect(figureRect.Left, figureRect.Right, top, figureRect.Top);
            var cellWidth = figureRect.Width / columns;
            var cellHeight = (figureRect.Bottom - top) / rows;
            for (var i = 1; i < rects.Length; i++)
            {
                var row = (i - 1) / columns;
                var column = (i - 1) % columns;
                var left = figureRect.Left + (column * cellWidth);
                var cellTop = top + (row * cellHeight);
                rects[i] = new PixelRect(left, left + cellWidth, cellTop + cellHeight, cellTop);
            }

            return rects;
        }
    }
}
