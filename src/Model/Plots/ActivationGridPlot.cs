using LearnedActivation.Model.Configuration;
using ScottPlot;

namespace LearnedActivation.Model.Plots;

/// <summary>
/// The sweep's 3 x 3 figure for one base activation: rows are the outer network size, columns the
/// activation-network size (small, medium, large), each panel the learned function with the base faint
/// behind it. A configuration without a result gets a panel saying "missing", so the grid never shifts.
/// </summary>
public static class ActivationGridPlot
{
    public static void Save(string path, string title, IEnumerable<ActivationGridCell> cells, int width = 1350, int height = 1100)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(cells);
        PngOutput.ValidateTarget(path, width, height);
        var byPosition = new Dictionary<(SizePreset Outer, SizePreset Activation), ActivationGridCell>();
        foreach (var cell in cells)
        {
            if (!byPosition.TryAdd((cell.Outer, cell.Activation), cell))
            {
                throw new ArgumentException($"grid cell outer {Names.Of(cell.Outer)} / act {Names.Of(cell.Activation)} given twice", nameof(cells));
            }
        }

        var sizes = Enum.GetValues<SizePreset>();
        var panels = new Plot[sizes.Length, sizes.Length];
        for (var row = 0; row < sizes.Length; row++)
        {
            for (var column = 0; column < sizes.Length; column++)
            {
                var panelTitle = PanelTitle(sizes[row], sizes[column]);
                panels[row, column] = byPosition.TryGetValue((sizes[row], sizes[column]), out var cell) && cell.Learned is { } learned
                    ? FunctionPanels.Curve(panelTitle, learned, cell.Base, PlotStyle.Learned)
                    : FunctionPanels.Missing(panelTitle);
            }
        }

        TitledPanels.Save(path, title, panels, width, height);
    }

    /// <summary>"outer medium / act small".</summary>
    public static string PanelTitle(SizePreset outer, SizePreset activation) => $"outer {Names.Of(outer)} / act {Names.Of(activation)}";
}
