using System.Globalization;
using System.Text;
using LearnedActivation.Model.Configuration;

namespace LearnedActivation.Model.Reporting;

/// <summary>
/// Does every configuration learn from scratch? Run by run, the learned arm against the fixed run of the same base,
/// outer size and seed (same split, outer initialisation and data order): the difference in test accuracy per seed,
/// the runs more than <see cref="BelowMarginPp"/> pp below, the epochs a learned run spent at chance (validation AUC
/// below <see cref="ChanceAuc"/>), the epochs trained; beside them warm − fixed and learned − fixed-wide. The bar of
/// issue 11, point 2, which docs/study-results.md quotes from this table.
/// </summary>
internal static class FromScratchTable
{
    public const double BelowMarginPp = 2;

    public const double ChanceAuc = 0.55;

    public const string Heading = "From scratch against the fixed arm, run by run";

    public static string Markdown(SweepRuns runs)
    {
        var completed = runs.Rows.Where(r => r.Outcome == RunOutcome.Completed && r.TestAccuracy is not null).ToList();
        var fixedRuns = ByOuterAndSeed(completed, StudyArm.Fixed);
        var wideRuns = ByOuterAndSeed(completed, StudyArm.FixedWide);
        var warmRuns = completed.Where(r => r.Arm == StudyArm.Warm).GroupBy(r => (r.Config.Base, r.Config.Outer, r.Config.Activation, r.Seed)).ToDictionary(g => g.Key, g => g.First());
        var configs = completed.Where(r => r.Arm == StudyArm.Learned && fixedRuns.ContainsKey((r.Config.Base, r.Config.Outer, r.Seed)))
            .GroupBy(r => (r.Config.Base, r.Config.Outer, r.Config.Activation))
            .OrderBy(g => g.Key.Base).ThenBy(g => g.Key.Outer).ThenBy(g => g.Key.Activation)
            .ToList();
        var md = new StringBuilder();
        if (configs.Count == 0)
        {
            return md.Append("Needs completed runs of the learned and fixed arms with the same seeds.\n").ToString();
        }

        md.Append(CultureInfo.InvariantCulture, $"Per configuration, learned − fixed test accuracy per seed (pp, paired by base, outer size and seed), its mean and worst, the learned runs more than {BelowMarginPp:0.#} pp below, the most epochs one of them spent at chance (validation AUC below {ChanceAuc:0.00}; - where the curves have no AUC), the epochs trained; beside them warm − fixed and learned − fixed-wide where those arms ran (pp).\n\n");
        AppendRow(md, ["base", "outer", "act", "seeds", "learned − fixed per seed (pp)", "mean", "worst", $"> {BelowMarginPp:0.#} pp below", "most epochs at chance", "epochs trained", "warm − fixed mean", "warm worst", "learned − fixed-wide mean"]);
        AppendRow(md, ["---", "---", "---", "---:", "---", "---:", "---:", "---:", "---:", "---", "---:", "---:", "---:"]);
        var all = new List<double>();
        var allWarm = new List<double>();
        var allBelow = 0;
        int? allChance = null;
        foreach (var config in configs)
        {
            var learned = config.OrderBy(r => r.Seed).ToList();
            var diffs = learned.Select(r => Pp(r, fixedRuns[(r.Config.Base, r.Config.Outer, r.Seed)])).ToList();
            var warm = learned.Select(r => warmRuns.GetValueOrDefault((r.Config.Base, r.Config.Outer, r.Config.Activation, r.Seed)))
                .Where(w => w is not null).Select(w => Pp(w!, fixedRuns[(w!.Config.Base, w.Config.Outer, w.Seed)])).ToList();
            var wide = learned.Where(r => wideRuns.ContainsKey((r.Config.Base, r.Config.Outer, r.Seed)))
                .Select(r => Pp(r, wideRuns[(r.Config.Base, r.Config.Outer, r.Seed)])).ToList();
            var below = diffs.Count(IsBelowMargin);
            var chance = MostEpochsAtChance(learned);
            all.AddRange(diffs);
            allWarm.AddRange(warm);
            allBelow += below;
            allChance = Max(allChance, chance);
            AppendRow(md,
            [
                Names.Of(config.Key.Base), Names.Of(config.Key.Outer), Names.Of(config.Key.Activation), Integer(learned.Count),
                string.Join(", ", diffs.Select(Signed)), Signed(diffs.Average()), Signed(diffs.Min()),
                $"{Integer(below)} of {Integer(diffs.Count)}", chance is { } c ? Integer(c) : "-",
                $"{Integer(learned.Min(r => r.EpochsCompleted))}-{Integer(learned.Max(r => r.EpochsCompleted))}",
                warm.Count > 0 ? Signed(warm.Average()) : "-", warm.Count > 0 ? Signed(warm.Min()) : "-",
                wide.Count > 0 ? Signed(wide.Average()) : "-",
            ]);
        }

        AppendRow(md,
        [
            "all", string.Empty, string.Empty, string.Empty, $"{Integer(all.Count)} runs", Signed(all.Average()), Signed(all.Min()),
            $"{Integer(allBelow)} of {Integer(all.Count)}", allChance is { } a ? Integer(a) : "-", string.Empty,
            allWarm.Count > 0 ? Signed(allWarm.Average()) : "-", allWarm.Count > 0 ? Signed(allWarm.Min()) : "-", string.Empty,
        ]);
        md.Append('\n');
        foreach (var arm in completed.Select(r => r.Arm).Distinct().Order())
        {
            var ofArm = completed.Where(r => r.Arm == arm).ToList();
            var epochs = ofArm.Select(r => r.EpochsCompleted).Order().ToList();
            var atCap = ofArm.Count(r => r.StoppedEarly == false);
            md.Append(CultureInfo.InvariantCulture,
                $"- {Names.Of(arm)}: {ofArm.Count} runs, at the cap: {atCap}, most epochs at chance: {(MostEpochsAtChance(ofArm) is { } c ? Integer(c) : "-")}, epochs {epochs[0]}-{epochs[^1]} (median {Median(epochs):0.#})\n");
        }

        return md.ToString();
    }

    /// <summary>
    /// More than the margin below. Accuracies are ratios of row counts, so a difference of exactly 2 pp (700 of 35,000
    /// test rows) comes out as -2.0000000000000018 in doubles; it is not more than 2 pp below.
    /// </summary>
    internal static bool IsBelowMargin(double differencePp) => differencePp < -BelowMarginPp - 1e-9;

    /// <summary>The most epochs any of <paramref name="runs"/> spent at chance; null (unknown) when one of them has no AUC curve.</summary>
    internal static int? MostEpochsAtChance(IEnumerable<RunSummary> runs)
    {
        var most = 0;
        foreach (var run in runs)
        {
            if (run.Curves?.ValidationAuc is not { } auc)
            {
                return null;
            }

            most = Math.Max(most, auc.Count(v => v < ChanceAuc));
        }

        return most;
    }

    private static Dictionary<(BaseActivation, SizePreset, long), RunSummary> ByOuterAndSeed(List<RunSummary> runs, StudyArm arm) =>
        runs.Where(r => r.Arm == arm).GroupBy(r => (r.Config.Base, r.Config.Outer, r.Seed)).ToDictionary(g => g.Key, g => g.First());

    private static double Pp(RunSummary run, RunSummary against) => 100 * (run.TestAccuracy!.Value - against.TestAccuracy!.Value);

    private static int? Max(int? a, int? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);

    private static double Median(List<int> sorted) => sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2.0;

    private static string Signed(double value) => value.ToString("+0.00;-0.00;+0.00", CultureInfo.InvariantCulture);

    private static string Integer(int value) => ResultsTable.Integer(value);

    private static void AppendRow(StringBuilder md, IEnumerable<string> cells) => ResultsTable.AppendRow(md, cells);
}
