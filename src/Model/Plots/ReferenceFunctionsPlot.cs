using LearnedActivation.Model.Configuration;
using ScottPlot;

namespace LearnedActivation.Model.Plots;

/// <summary>Base activations side by side over [-4, 4]: a sweep's report draws the bases its configurations use.</summary>
public static class ReferenceFunctionsPlot
{
    public static void Save(string path, IReadOnlyList<BaseActivation> bases, int width = 1200, int height = 450)
    {
        ArgumentNullException.ThrowIfNull(bases);
        if (bases.Count == 0)
        {
            throw new ArgumentException("no base activation to draw", nameof(bases));
        }

        PngOutput.ValidateTarget(path, width, height);
        var x = new XRange(-4, 4).Linspace(401);
        var palette = new ScottPlot.Palettes.Category10();
        var panels = new Plot[1, bases.Count];
        for (var i = 0; i < bases.Count; i++)
        {
            var panel = FunctionPanels.Curve(Names.Of(bases[i]), BaseCurves.Of(bases[i], x), faintBase: null, palette.GetColor(i));
            panel.Add.HorizontalLine(0, 1, Colors.Gray.WithAlpha(0.6), LinePattern.Dotted);
            panel.Add.VerticalLine(0, 1, Colors.Gray.WithAlpha(0.6), LinePattern.Dotted);
            panel.XLabel("x");
            panels[0, i] = panel;
        }

        TitledPanels.Save(path, "base activation functions", panels, width, height);
    }
}
