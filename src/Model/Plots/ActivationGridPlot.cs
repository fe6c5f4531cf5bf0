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
    public static void Save(string path, string title, IEnumerable<ActivationGridCell> cells, int width = 1350, int height = 1100) =>
        Save(path, title, cells, Enum.GetValues<SizePreset>(), Enum.GetValues<SizePreset>(), width, height);

    /// <summary>
    /// The grid restricted to the given rows and columns, for a sweep that covers only some sizes: a size
    /// the sweep never ran gets no panel at all, rather than a "missing" one that would read as a failure.
    /// </summary>
    public static void Save(
        string path,
        string title,
        IEnumerable<ActivationGridCell> cells,
        IReadOnlyList<SizePreset> outerSizes,
        IReadOnlyList<SizePreset> activationSizes,
        int width,
        int height)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(cells);
        CheckAxis(outerSizes, nameof(outerSizes));
        CheckAxis(activationSizes, nameof(activationSizes));
        PngOutput.ValidateTarget(path, width, height);
        var byPosition = new Dictionary<(SizePreset Outer, SizePreset Activation), ActivationGridCell>();
        foreach (var cell in cells)
        {
            if (!outerSizes.Contains(cell.Outer) || !activationSizes.Contains(cell.Activation))
            {
                throw new ArgumentException($"grid cell outer {Names.Of(cell.Outer)} / act {Names.Of(cell.Activation)} is outside the grid's rows or columns", nameof(cells));
            }

            if (!byPosition.TryAdd((cell.Outer, cell.Activation), cell))
            {
                throw new ArgumentException($"grid cell outer {Names.Of(cell.Outer)} / act {Names.Of(cell.Activation)} given twice", nameof(cells));
            }
        }

        var panels = new Plot[outerSizes.Count, activationSizes.Count];
        for (var row = 0; row < outerSizes.Count; row++)
        {
            for (var column = 0; column < activationSizes.Count; column++)
            {
                var panelTitle = PanelTitle(outerSizes[row], activationSizes[column]);
                panels[row, column] = byPosition.TryGetValue((outerSizes[row], activationSizes[column]), out var cell) && cell.Learned is { } learned
                    ? FunctionPanels.Curve(panelTitle, learned, cell.Base, PlotStyle.Learned)
                    : FunctionPanels.Missing(panelTitle);
            }
        }

        TitledPanels.Save(path, title, panels, width, height);
    }

    /// <summary>"outer medium / act small".</summary>
    public static string PanelTitle(SizePreset outer, SizePreset activation) => $"outer {Names.Of(outer)} / act {Names.Of(activation)}";

    private static void CheckAxis(IReadOnlyList<SizePreset> sizes, string name)
    {
        ArgumentNullException.ThrowIfNull(sizes, name);
        if (sizes.Count == 0 || sizes.Distinct().Count() != sizes.Count)
        {
            throw new ArgumentException("grid rows and columns must be non-empty and without repeats", name);
        }
    }
}
