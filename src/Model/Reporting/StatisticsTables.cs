using System.Globalization;
using System.Text;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Reporting.Statistics;

namespace LearnedActivation.Model.Reporting;

/// <summary>
/// The over-seeds statistics in the report's tables: per configuration and arm the mean and 95 % interval of test
/// accuracy, AUC and log-loss, the paired differences against the plain-base arms with their verdicts, and the
/// shape measures averaged over seeds. In results.csv every run's row carries its group's figures.
/// </summary>
internal static class StatisticsTables
{
    public static readonly IReadOnlyList<string> CsvColumns =
    [
        "group_seeds",
        "test_accuracy_mean", "test_accuracy_ci_low", "test_accuracy_ci_high",
        "test_auc_mean", "test_auc_ci_low", "test_auc_ci_high",
        "test_loss_mean", "test_loss_ci_low", "test_loss_ci_high",
        "vs_fixed_diff", "vs_fixed_ci_low", "vs_fixed_ci_high", "vs_fixed_verdict",
        "vs_fixed_wide_diff", "vs_fixed_wide_ci_low", "vs_fixed_wide_ci_high", "vs_fixed_wide_verdict",
    ];

    public static IReadOnlyDictionary<ArmGroup, GroupStatistics> ByGroup(SweepRuns runs) =>
        ArmStatistics.Of(runs.Rows).ToDictionary(s => s.Group);

    public static IEnumerable<string?> CsvCells(RunSummary row, IReadOnlyDictionary<ArmGroup, GroupStatistics> statistics)
    {
        var s = statistics.GetValueOrDefault(ArmGroup.Of(row));
        IEnumerable<string?> Interval(MeanInterval? m) => [Number(m?.Mean), Number(m?.HasInterval == true ? m.Low : null), Number(m?.HasInterval == true ? m.High : null)];
        IEnumerable<string?> Comparison(PairedComparison? c) => [.. Interval(c?.Difference), c is null ? null : Equivalence.Name(c.Verdict)];
        return
        [
            s is null ? null : ResultsTable.Integer(s.Seeds),
            .. Interval(s?.TestAccuracy),
            .. Interval(s?.TestAuc),
            .. Interval(s?.TestLoss),
            .. Comparison(s?.Against(StudyArm.Fixed)),
            .. Comparison(s?.Against(StudyArm.FixedWide)),
        ];
    }

    /// <summary>One row per configuration and arm: seeds, metrics with intervals, paired differences with verdicts.</summary>
    public static string Markdown(SweepRuns runs)
    {
        var statistics = ArmStatistics.Of(runs.Rows);
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture,
            $"Mean over seeds with its 95 % t-interval. Differences are paired by seed (same split, outer initialisation and data order), in percentage points of test accuracy; verdict at a ±{Equivalence.Margin * 100:0.#} pp margin: on par when the interval lies inside it, better or worse when it lies beyond zero and reaches past it, else inconclusive.\n\n");
        if (statistics.Count == 0)
        {
            return md.Append("No completed runs.\n").ToString();
        }

        ResultsTable.AppendRow(md, ["base", "outer", "act", "arm", "seeds", "test acc", "test AUC", "test log-loss", "− fixed (pp)", "− fixed-wide (pp)"]);
        ResultsTable.AppendRow(md, ["---", "---", "---", "---", "---:", "---:", "---:", "---:", "---:", "---:"]);
        foreach (var s in statistics)
        {
            var g = s.Group;
            ResultsTable.AppendRow(md,
            [
                Names.Of(g.Base), Names.Of(g.Outer), g.Activation is { } a ? Names.Of(a) : "-", Names.Of(g.Arm),
                ResultsTable.Integer(s.Seeds),
                Interval(s.TestAccuracy, 1), Interval(s.TestAuc, 1), Interval(s.TestLoss, 1),
                Comparison(s.Against(StudyArm.Fixed)), Comparison(s.Against(StudyArm.FixedWide)),
            ]);
        }

        return md.ToString();
    }

    /// <summary>Per configuration and arm with an activation network, the shape measures over seeds.</summary>
    public static string ShapeMarkdown(SweepRuns runs)
    {
        var groups = runs.Rows.Where(r => r.Outcome == RunOutcome.Completed && r.Analysis is not null)
            .GroupBy(ArmGroup.Of)
            .OrderBy(g => g.Key.Base).ThenBy(g => g.Key.Outer).ThenBy(g => g.Key.Activation).ThenBy(g => g.Key.Arm)
            .ToList();
        if (groups.Count == 0)
        {
            return "No run with an analysed activation.\n";
        }

        var md = new StringBuilder();
        ResultsTable.AppendRow(md, ["base", "outer", "act", "arm", "seeds", "extrema", "dominant z", "asymmetry", "nearest (runs)", "nearest error", "base distance"]);
        ResultsTable.AppendRow(md, ["---", "---", "---", "---", "---:", "---:", "---:", "---:", "---", "---:", "---:"]);
        foreach (var group in groups)
        {
            var g = group.Key;
            var analyses = group.Select(r => r.Analysis!).ToList();
            var nearest = string.Join(", ", analyses.GroupBy(a => a.Nearest.Name).OrderByDescending(n => n.Count()).ThenBy(n => n.Key, StringComparer.Ordinal)
                .Select(n => string.Create(CultureInfo.InvariantCulture, $"{n.Key} ({n.Count()})")));
            ResultsTable.AppendRow(md,
            [
                Names.Of(g.Base), Names.Of(g.Outer), g.Activation is { } a ? Names.Of(a) : "-", Names.Of(g.Arm),
                ResultsTable.Integer(analyses.Count),
                Interval(MeanInterval.Of(analyses.Select(x => (double)x.ExtremaCount)), 1, "F1"),
                Interval(MeanInterval.Of(analyses.Select(x => x.Dominant?.Z ?? double.NaN)), 1, "F2"),
                Interval(MeanInterval.Of(analyses.Select(x => x.Asymmetry)), 1, "F2"),
                nearest,
                Interval(MeanInterval.Of(analyses.Select(x => x.Nearest.Error)), 1, "F3"),
                Interval(MeanInterval.Of(analyses.Select(x => x.BaseDistance)), 1, "F3"),
            ]);
        }

        return md.ToString();
    }

    private static string Interval(MeanInterval? m, double scale, string format = "F4") => m switch
    {
        null => "-",
        { HasInterval: false } => Format(m.Mean * scale, format),
        _ => $"{Format(m.Mean * scale, format)} [{Format(m.Low * scale, format)}, {Format(m.High * scale, format)}]",
    };

    internal static string Comparison(PairedComparison? c) =>
        c is null ? "-" : $"{Interval(c.Difference, 100, "+0.00;-0.00;0.00")} {Equivalence.Name(c.Verdict)}";

    private static string Format(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static string? Number(double? value) => ResultsTable.Number(value);
}
