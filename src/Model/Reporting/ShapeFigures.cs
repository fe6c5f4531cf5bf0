using LearnedActivation.Model.Analysis;
using LearnedActivation.Model.Analysis.Comparison;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Plots;
using LearnedActivation.Model.Reporting.Claims;
using LearnedActivation.Model.Reporting.Statistics;

namespace LearnedActivation.Model.Reporting;

/// <summary>The data of the shape figures: functions of every seed in z-units, shape heatmaps, the clustered distance matrix.</summary>
internal static class ShapeFigures
{
    private const int GridPoints = 201;
    private const int DensityBins = 60;

    /// <summary>
    /// The arm whose functions the per-base shape figures show: learned (from scratch) when the sweep has it, else
    /// warm; null when it has neither.
    /// </summary>
    public static StudyArm? ShownArm(SweepRuns runs)
    {
        var arms = runs.Shapes.Runs.Select(r => r.Run.Arm).ToHashSet();
        return arms.Contains(StudyArm.Learned) ? StudyArm.Learned : arms.Contains(StudyArm.Warm) ? StudyArm.Warm : null;
    }

    public static IReadOnlyList<SeedFunctionsCell> SeedFunctionCells(SweepRuns runs, BaseActivation baseActivation)
    {
        var arm = ShownArm(runs);
        return [.. runs.Configs.Where(c => c.Base == baseActivation).Select(config =>
        {
            var functions = runs.Shapes.Runs.Where(r => r.Run.Config == config && r.Run.Arm == arm).Select(r => r.Function).ToList();
            if (functions.Count == 0)
            {
                return new SeedFunctionsCell(config.Outer, config.Activation, [], null, null);
            }

            var (low, high) = CommonRange(functions);
            var z = Enumerable.Range(0, GridPoints).Select(i => low + ((high - low) * i / (GridPoints - 1))).ToArray();
            var seeds = functions.Select(f => CurveNormalisation.Affine(FunctionCurve.Sample(f.Name, z, f.Evaluate))).ToList();
            var median = new FunctionCurve("median", z, [.. Enumerable.Range(0, GridPoints).Select(i => Median(seeds.Select(s => s.Y[i])))]);
            return new SeedFunctionsCell(config.Outer, config.Activation, seeds, median, Density(functions, low, high));
        })];
    }

    /// <summary>Per base, the mean extrema count and the most frequent nearest function of each configuration of the shown arm.</summary>
    public static IReadOnlyList<CellMatrix> Heatmaps(SweepRuns runs, BaseActivation baseActivation)
    {
        var outer = SweepFigures.OuterSizes(runs, baseActivation);
        var activation = SweepFigures.ActivationSizes(runs, baseActivation);
        var arm = ShownArm(runs);
        var extrema = new double[outer.Count, activation.Count];
        var extremaText = new string?[outer.Count, activation.Count];
        var nearest = new double[outer.Count, activation.Count];
        var nearestText = new string?[outer.Count, activation.Count];
        for (var r = 0; r < outer.Count; r++)
        {
            for (var c = 0; c < activation.Count; c++)
            {
                var config = new ModelConfig(baseActivation, outer[r], activation[c]);
                var analyses = runs.Rows.Where(x => x.Config == config && x.Arm == arm && x.Outcome == RunOutcome.Completed && x.Analysis is not null)
                    .Select(x => x.Analysis!).ToList();
                extrema[r, c] = analyses.Count > 0 ? analyses.Average(a => a.ExtremaCount) : double.NaN;
                extremaText[r, c] = analyses.Count > 0 ? extrema[r, c].ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) : "-";
                var modal = analyses.GroupBy(a => a.Nearest.Function).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).FirstOrDefault();
                nearest[r, c] = modal is null ? double.NaN : NearestFunction.Candidates.ToList().IndexOf(modal.Key);
                nearestText[r, c] = modal is null ? "-" : analyses.Count > 1 ? $"{modal.Key} ({modal.Count()}/{analyses.Count})" : modal.Key;
            }
        }

        string[] rows = [.. outer.Select(o => "outer " + Names.Of(o))];
        string[] columns = [.. activation.Select(a => "act " + Names.Of(a))];
        return
        [
            new CellMatrix("extrema (mean over seeds)", rows, columns, extrema, extremaText),
            new CellMatrix("nearest known function (most frequent)", rows, columns, nearest, nearestText),
        ];
    }

    /// <summary>The distance matrix of every function, rows and columns in average-linkage leaf order; null without one.</summary>
    public static CellMatrix? DistanceMatrix(SweepRuns runs)
    {
        var shapes = runs.Shapes;
        if (shapes.Distances is not { } d || shapes.Runs.Count < 2)
        {
            return null;
        }

        var order = AverageLinkage.LeafOrder(d);
        var n = order.Count;
        var values = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                values[i, j] = d[order[i], order[j]];
            }
        }

        var several = shapes.Runs.Select(r => r.Run.Arm).Distinct().Count() > 1;
        string[] labels = [.. order.Select(i => shapes.Runs[i].Run.RunName + (several ? $" ({Names.Of(shapes.Runs[i].Run.Arm)})" : string.Empty))];
        return new CellMatrix("affine-invariant distance between learned functions (0 = same shape), clustered", labels, labels, values);
    }

    private static (double Low, double High) CommonRange(IReadOnlyList<StandardisedFunction> functions)
    {
        var low = functions.Max(f => f.Z[0]);
        var high = functions.Min(f => f.Z[^1]);
        return high > low ? (low, high) : (functions.Min(f => f.Z[0]), functions.Max(f => f.Z[^1]));
    }

    /// <summary>
    /// The pre-activations' density over [low, high] in z, as far as the recorded percentiles tell it: each
    /// stretch between two percentiles holds its share of the mass, spread evenly. Averaged over the seeds.
    /// </summary>
    private static ValueHistogram Density(IReadOnlyList<StandardisedFunction> functions, double low, double high)
    {
        var edges = Enumerable.Range(0, DensityBins + 1).Select(i => low + ((high - low) * i / DensityBins)).ToArray();
        var counts = new double[DensityBins];
        var q = PreActivationStats.Probabilities;
        foreach (var f in functions)
        {
            var p = f.Pooled.Percentiles.Select(f.ToZ).ToList();
            for (var k = 0; k + 1 < p.Count; k++)
            {
                var width = p[k + 1] - p[k];
                if (!(width > 0))
                {
                    continue;
                }

                var perUnit = (q[k + 1] - q[k]) / width;
                for (var b = 0; b < DensityBins; b++)
                {
                    var overlap = Math.Min(edges[b + 1], p[k + 1]) - Math.Max(edges[b], p[k]);
                    counts[b] += overlap > 0 ? overlap * perUnit : 0;
                }
            }
        }

        return new ValueHistogram(edges, counts);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid]);
    }
}
