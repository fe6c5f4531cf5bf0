using ScottPlot;

namespace LearnedActivation.Model.Plots;

/// <summary>The font family every figure uses for its text.</summary>
public static class PlotFonts
{
    // Tried in order. SkiaSharp's Linux build finds fonts by scanning the system font folders; asking for
    // a family that is not installed silently falls back to its default typeface (on Debian with only
    // fonts-dejavu, DejaVu Serif), so an installed sans-serif is picked explicitly. With no fonts at all
    // text would not render: install fonts-dejavu-core (the tests check for usable glyphs).
    private static readonly string[] Preferred = ["DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica", "Open Sans"];

    private static readonly Lazy<string> Chosen = new(Choose, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The first installed of the preferred sans-serif families, else ScottPlot's system default.</summary>
    public static string Family => Chosen.Value;

    private static string Choose()
    {
        foreach (var family in Preferred)
        {
            var typeface = Fonts.GetTypeface(family, bold: false, italic: false);
            if (string.Equals(typeface?.FamilyName, family, StringComparison.OrdinalIgnoreCase))
            {
                return family;
            }
        }

        return Fonts.Default;
    }
}
