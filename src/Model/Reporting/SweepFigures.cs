using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Plots;

namespace LearnedActivation.Model.Reporting;

/// <summary>Turns a sweep's runs into the data each comparison figure draws, and draws them.</summary>
internal static class SweepFigures
{
    public const string ReferenceFileName = "reference_functions.png";

    /// <summary>The clustered matrix of pairwise distances between all runs' learned functions.</summary>
    public const string DistanceMatrixFileName = "function_distances.png";

    private const int PanelWidth = 450;
    private const int HeaderHeight = 48;

    // 3 rows share 1052 pixels below the header: ActivationGridPlot's 1350 x 1100 default for the full grid.
    private const double RowHeight = 1052.0 / 3;

    /// <summary>
    /// The figures drawn for each base activation of a sweep, in the order report.md shows them: a new per-base
    /// figure is one entry here (and its plot class), and both the report writer and report.md pick it up.
    /// </summary>
    public static IReadOnlyList<BaseFigure> PerBase { get; } =
    [
        new("grid", name => $"learned activations, {name} base",
            "Learned functions (the base function dashed behind each; a panel says \"missing\" when its run has no result):", SaveGrid),
        new("overlay", name => $"normalised learned activations, {name} base",
            "The same functions overlaid, each shifted and scaled to zero mean and unit spread (and flipped to rise), "
            + "since the next layer absorbs any scale, offset or sign: what differs is shape.", SaveOverlay),
        new("learning_curves", name => $"validation accuracy, {name} base",
            "Validation accuracy per epoch: each configuration's mean over its seeds (line) and the range across seeds (band); "
            + "after a seed stops early, the mean is of the seeds still training:", SaveLearningCurves),
        new("functions_by_seed", name => $"learned activations of every seed in z-units, {name} base",
            "Every seed's function (thin) and their median (thick), x in units of the pre-activations (z = (x - p50) / (p75 - p25)), "
            + "each normalised to zero mean and unit spread and turned to rise; bars: where the inputs fall:", SaveSeedFunctions),
        new("shape_heatmaps", name => $"extrema count and nearest known function per configuration, {name} base",
            "Shape per configuration: the number of local extrema (prominence at least 2 % of the range) and the known function "
            + "nearest up to the affine freedom:", SaveHeatmaps),
    ];

    /// <summary>Grid rows: the outer sizes this base's drawn configurations use, in size order.</summary>
    public static IReadOnlyList<SizePreset> OuterSizes(SweepRuns runs, BaseActivation baseActivation) =>
        [.. Drawn(runs, baseActivation).Select(c => c.Outer).Distinct().Order()];

    /// <summary>Grid columns: the activation-network sizes this base's drawn configurations use, in size order.</summary>
    public static IReadOnlyList<SizePreset> ActivationSizes(SweepRuns runs, BaseActivation baseActivation) =>
        [.. Drawn(runs, baseActivation).Select(c => c.Activation).Distinct().Order()];

    /// <summary>
    /// The configurations whose learned functions the grid and overlay draw: one arm per figure, the learned arm when
    /// the sweep has it, else the warm one. The fixed arms have no learned function to draw.
    /// </summary>
    public static IReadOnlyList<ModelConfig> Drawn(SweepRuns runs, BaseActivation baseActivation)
    {
        var withNetwork = runs.Configs.Where(c => c.Base == baseActivation && c.HasActivationNetwork).ToList();
        var arm = withNetwork.Select(c => c.Arm).DefaultIfEmpty(StudyArm.Learned).Min();
        return [.. withNetwork.Where(c => c.Arm == arm)];
    }

    /// <summary>One cell per drawn configuration of the base; Learned is null where no run completed.</summary>
    public static IReadOnlyList<ActivationGridCell> GridCells(SweepRuns runs, BaseActivation baseActivation) =>
        [.. Drawn(runs, baseActivation).Select(config =>
        {
            var learned = runs.Representative(config)?.LearnedActivation;
            var faintBase = learned is null ? null : BaseCurves.Of(baseActivation, learned.X);
            return new ActivationGridCell(config.Outer, config.Activation, learned, faintBase);
        })];

    /// <summary>
    /// The overlay's learned curves, labelled by their panel, all resampled onto the x range they share.
    /// Normalisation uses the mean and spread over a curve's own x range, so curves (and the base) must
    /// cover the same range for their normalised shapes to be comparable.
    /// </summary>
    public static (FunctionCurve Base, IReadOnlyList<FunctionCurve> Learned) OverlayCurves(SweepRuns runs, BaseActivation baseActivation)
    {
        var learned = Drawn(runs, baseActivation)
            .Select(c => (Config: c, Curve: runs.Representative(c)?.LearnedActivation))
            .Where(p => p.Curve is not null)
            .Select(p => p.Curve! with { Label = ActivationGridPlot.PanelTitle(p.Config.Outer, p.Config.Activation) })
            .ToList();
        var range = SharedRange(learned);
        var x = range.Linspace();
        return (BaseCurves.Of(baseActivation, x, $"{Names.Of(baseActivation)} (base)"), [.. learned.Select(c => Resample(c, x))]);
    }

    /// <summary>Every run of the base that recorded curves, named by run, for the learning-curves figure.</summary>
    /// <summary>One band per configuration (arm included) of this base: its seeds' validation accuracy, in the sweep's order.</summary>
    public static IReadOnlyList<SeedBand> LearningCurves(SweepRuns runs, BaseActivation baseActivation) =>
        [.. runs.OfBase(baseActivation)
            .Where(r => r.Curves is not null)
            .GroupBy(r => r.Config)
            .Select(g =>
            {
                var seeds = g.Count();
                var name = seeds > 1 ? $"{g.Key.Name} ({seeds} seeds)" : g.First().RunName;
                return SeedBand.Of(name, [.. g.Select(r => r.Curves!.ValidationAccuracy)]);
            })];

    public static void SaveGrid(string path, string sweepId, SweepRuns runs, BaseActivation baseActivation)
    {
        var outer = OuterSizes(runs, baseActivation);
        var activation = ActivationSizes(runs, baseActivation);
        ActivationGridPlot.Save(
            path,
            $"learned activations, {Names.Of(baseActivation)} base (sweep {sweepId})",
            GridCells(runs, baseActivation),
            outer,
            activation,
            width: PanelWidth * activation.Count,
            height: HeaderHeight + (int)Math.Round(RowHeight * outer.Count));
    }

    public static void SaveOverlay(string path, string sweepId, SweepRuns runs, BaseActivation baseActivation)
    {
        var (baseCurve, learned) = OverlayCurves(runs, baseActivation);
        OverlayPlot.Save(path, $"learned activations, {Names.Of(baseActivation)} base, normalised (sweep {sweepId})", baseCurve, learned);
    }

    public static void SaveSeedFunctions(string path, string sweepId, SweepRuns runs, BaseActivation baseActivation)
    {
        var outer = OuterSizes(runs, baseActivation);
        var activation = ActivationSizes(runs, baseActivation);
        var arm = ShapeFigures.ShownArm(runs) is { } shown ? Names.Of(shown) : "no";
        SeedFunctionsPlot.Save(
            path,
            $"{arm} activations of every seed in z-units, {Names.Of(baseActivation)} base (sweep {sweepId})",
            ShapeFigures.SeedFunctionCells(runs, baseActivation),
            outer,
            activation,
            width: PanelWidth * activation.Count,
            height: HeaderHeight + (int)Math.Round(RowHeight * outer.Count));
    }

    public static void SaveHeatmaps(string path, string sweepId, SweepRuns runs, BaseActivation baseActivation) =>
        CellMatrixPlot.Save(path, $"shape per configuration, {Names.Of(baseActivation)} base (sweep {sweepId})", ShapeFigures.Heatmaps(runs, baseActivation), 1400, 560);

    /// <summary>Draws the distance matrix; false (and no file) when the sweep has fewer than two functions or too many to compare.</summary>
    public static bool SaveDistanceMatrix(string path, string sweepId, SweepRuns runs)
    {
        if (ShapeFigures.DistanceMatrix(runs) is not { } matrix)
        {
            return false;
        }

        var size = Math.Clamp(300 + (matrix.RowLabels.Count * 22), 700, 2400);
        CellMatrixPlot.Save(path, $"learned functions compared (sweep {sweepId})", [matrix], size + 200, size);
        return true;
    }

    public static void SaveLearningCurves(string path, string sweepId, SweepRuns runs, BaseActivation baseActivation) =>
        LearningCurvesPlot.Save(path, $"validation accuracy, {Names.Of(baseActivation)} base (sweep {sweepId})", LearningCurves(runs, baseActivation));

    /// <summary>
    /// The x range every curve covers (their intersection). Learned curves are drawn over at least
    /// <see cref="XRange.Default"/>, so in practice this is never empty; if it is, the union is used.
    /// </summary>
    internal static XRange SharedRange(IReadOnlyList<FunctionCurve> curves)
    {
        if (curves.Count == 0)
        {
            return XRange.Default;
        }

        var low = curves.Max(c => c.X[0]);
        var high = curves.Min(c => c.X[^1]);
        return high > low ? new XRange(low, high) : new XRange(curves.Min(c => c.X[0]), curves.Max(c => c.X[^1]));
    }

    /// <summary>Linear interpolation of <paramref name="curve"/> at <paramref name="x"/>, held constant beyond its ends.</summary>
    internal static FunctionCurve Resample(FunctionCurve curve, double[] x)
    {
        var y = new double[x.Length];
        var segment = 0;
        for (var i = 0; i < x.Length; i++)
        {
            var v = x[i];
            if (v <= curve.X[0])
            {
                y[i] = curve.Y[0];
                continue;
            }

            if (v >= curve.X[^1])
            {
                y[i] = curve.Y[^1];
                continue;
            }

            // x is increasing, so the segment index only moves forward.
            while (curve.X[segment + 1] < v)
            {
                segment++;
            }

            var t = (v - curve.X[segment]) / (curve.X[segment + 1] - curve.X[segment]);
            y[i] = curve.Y[segment] + (t * (curve.Y[segment + 1] - curve.Y[segment]));
        }

        return new FunctionCurve(curve.Label, x, y);
    }
}
