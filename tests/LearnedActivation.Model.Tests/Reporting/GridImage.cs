using SkiaSharp;

namespace LearnedActivation.Model.Tests.Reporting;

/// <summary>
/// Looks inside a grid PNG: how many pixels of each panel have the learned curve's colour. A panel drawn
/// as "missing" has none; a panel with a curve has hundreds.
/// </summary>
internal static class GridImage
{
    private const int HeaderHeight = 48;

    // ScottPlot's first category colour (#1f77b4), which the grid uses for learned curves.
    private static readonly (int R, int G, int B) LearnedColour = (0x1f, 0x77, 0xb4);

    public static int[,] LearnedPixelsPerPanel(string path, int rows, int columns)
    {
        using var bitmap = SKBitmap.Decode(path) ?? throw new InvalidOperationException($"{path} does not decode as an image");
        var counts = new int[rows, columns];
        var panelWidth = bitmap.Width / (double)columns;
        var panelHeight = (bitmap.Height - HeaderHeight) / (double)rows;
        for (var y = HeaderHeight; y < bitmap.Height; y++)
        {
            for (var x = 0; x < bitmap.Width; x++)
            {
                var pixel = bitmap.GetPixel(x, y);
                if (Math.Abs(pixel.Red - LearnedColour.R) < 24 && Math.Abs(pixel.Green - LearnedColour.G) < 24 && Math.Abs(pixel.Blue - LearnedColour.B) < 24)
                {
                    var row = Math.Min((int)((y - HeaderHeight) / panelHeight), rows - 1);
                    var column = Math.Min((int)(x / panelWidth), columns - 1);
                    counts[row, column]++;
                }
            }
        }

        return counts;
    }
}
