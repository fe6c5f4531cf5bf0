using LearnedActivation.Model.Configuration;
using ScottPlot;

namespace LearnedActivation.Model.Plots;

/// <summary>The three base activations (tanh, relu, exact gelu) side by side over [-4, 4].</summary>
public static class ReferenceFunctionsPlot
{
    public static void Save(string path, int width = 1200, int height = 450)
    {
        PngOutput.ValidateTarget(path, width, height);
        var x = new XRange(-4, 4).Linspace(401);
        var bases = Enum.GetValues<BaseActivation>();
        var palette = new ScottPlot.Palettes.Category10();
        var panels = new Plot[1, bases.Length];
        for (var i = 0; i < bases.Length; i++)
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
