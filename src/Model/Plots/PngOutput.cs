using LearnedActivation.Model.IO;
using ScottPlot;

namespace LearnedActivation.Model.Plots;

/// <summary>Renders figures to PNG bytes and writes them without ever leaving a half-written file behind.</summary>
internal static class PngOutput
{
    public static void ValidateTarget(string path, int width, int height)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 100);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 100);
    }

    public static void Save(Plot plot, string path, int width, int height)
    {
        PlotStyle.ApplyFont(plot);
        Write(path, plot.GetImageBytes(width, height, ImageFormat.Png));
    }

    public static void Save(Multiplot multiplot, string path, int width, int height)
    {
        foreach (var plot in multiplot.GetPlots())
        {
            PlotStyle.ApplyFont(plot);
        }

        var image = multiplot.Render(width, height);
        try
        {
            Write(path, image.GetImageBytes(ImageFormat.Png));
        }
        finally
        {
            image.Dispose();
        }
    }

    private static void Write(string path, byte[] png) => AtomicFile.WriteAllBytes(path, png);
}
