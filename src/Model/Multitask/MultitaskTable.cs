using System.Globalization;
using System.Text;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Reporting.Statistics;

namespace LearnedActivation.Model.Multitask;

/// <summary>One holdout run: a row of <c>multitask.csv</c>.</summary>
public sealed record HoldoutRow(string Holdout, BaseActivation Base, SizePreset Outer, SizePreset Activation, HoldoutArm Arm, long Seed, double TestAccuracy, double TestAuc, double TestLoss, int Epochs);

/// <summary>A paired difference of test accuracy over seeds (<see cref="Arm"/> minus <see cref="Against"/>, same configuration and seed).</summary>
public sealed record HoldoutDifference(BaseActivation Base, SizePreset Outer, SizePreset Activation, HoldoutArm Arm, HoldoutArm Against, MeanInterval Difference, ComparisonVerdict Verdict);

/// <summary>
/// <c>multitask.csv</c> and the paired differences (95 % t-intervals, <see cref="MeanInterval"/>): the multitask
/// activation, frozen, against <c>fixed</c>, the in-domain <c>learned</c> and each single-task transfer; and, as the
/// scale those are read on, <c>learned</c> and each single-task transfer against <c>fixed</c>.
/// </summary>
public static class MultitaskTable
{
    public const string RunsFile = "multitask.csv";
    public const string DifferencesFile = "multitask-differences.csv";

    /// <summary>The comparisons for the given training tasks, in the order the table lists them.</summary>
    public static IReadOnlyList<(HoldoutArm Arm, HoldoutArm Against)> Comparisons(IReadOnlyList<string> tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        return
        [
            (HoldoutArm.FrozenMultitask, HoldoutArm.Fixed),
            (HoldoutArm.Learned, HoldoutArm.Fixed),
            (HoldoutArm.FrozenMultitask, HoldoutArm.Learned),
            .. tasks.Select(t => (HoldoutArm.FrozenMultitask, HoldoutArm.FrozenFrom(t))),
            .. tasks.Select(t => (HoldoutArm.FrozenFrom(t), HoldoutArm.Fixed)),
        ];
    }

    /// <summary>Per configuration (base, outer, activation size) and comparison, the differences of the seeds both arms completed.</summary>
    public static IReadOnlyList<HoldoutDifference> Differences(IReadOnlyList<HoldoutRow> rows, IReadOnlyList<string> tasks)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var result = new List<HoldoutDifference>();
        var seeds = rows.Select(r => r.Seed).Distinct().Order().ToList();
        foreach (var config in rows.Where(r => r.Arm != HoldoutArm.Fixed).Select(r => (r.Base, r.Outer, r.Activation)).Distinct().Order())
        {
            // The fixed arm has no activation size: one fixed run per base, outer size and seed serves every activation size.
            double? Accuracy(HoldoutArm arm, long seed) => rows.FirstOrDefault(r =>
                r.Arm == arm && r.Seed == seed && r.Base == config.Base && r.Outer == config.Outer && (arm == HoldoutArm.Fixed || r.Activation == config.Activation))?.TestAccuracy;

            foreach (var (arm, against) in Comparisons(tasks))
            {
                var pairs = seeds.Select(s => (Accuracy(arm, s), Accuracy(against, s))).Where(p => p.Item1 is not null && p.Item2 is not null).Select(p => p.Item1!.Value - p.Item2!.Value);
                if (MeanInterval.Of(pairs) is { } difference)
                {
                    result.Add(new HoldoutDifference(config.Base, config.Outer, config.Activation, arm, against, difference, Equivalence.Judge(difference)));
                }
            }
        }

        return result;
    }

    public static string RunsCsv(IEnumerable<HoldoutRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var csv = new StringBuilder("holdout,base,outer,act,arm,source,seed,test_accuracy,test_auc,test_loss,epochs\n");
        foreach (var r in rows)
        {
            var act = r.Arm.Arm == StudyArm.Fixed ? "-" : Names.Of(r.Activation);
            csv.Append(CultureInfo.InvariantCulture, $"{r.Holdout},{Names.Of(r.Base)},{Names.Of(r.Outer)},{act},{Names.Of(r.Arm.Arm)},{r.Arm.Source ?? "-"},{r.Seed},{r.TestAccuracy:R},{r.TestAuc:R},{r.TestLoss:R},{r.Epochs}\n");
        }

        return csv.ToString();
    }

    public static string DifferencesCsv(string holdout, IEnumerable<HoldoutDifference> differences)
    {
        ArgumentNullException.ThrowIfNull(differences);
        var csv = new StringBuilder("holdout,base,outer,act,arm,against,seeds,mean_difference,ci95_low,ci95_high,verdict\n");
        foreach (var d in differences)
        {
            var i = d.Difference;
            csv.Append(CultureInfo.InvariantCulture, $"{holdout},{Names.Of(d.Base)},{Names.Of(d.Outer)},{Names.Of(d.Activation)},{d.Arm.Name},{d.Against.Name},{i.N},{i.Mean:R},{i.Low:R},{i.High:R},{Equivalence.Name(d.Verdict)}\n");
        }

        return csv.ToString();
    }

    /// <summary>Writes <see cref="RunsFile"/> and <see cref="DifferencesFile"/> into <paramref name="directory"/>; returns their paths.</summary>
    public static IReadOnlyList<string> Write(string directory, string holdout, IReadOnlyList<HoldoutRow> rows, IReadOnlyList<string> tasks)
    {
        ArgumentNullException.ThrowIfNull(rows);
        Directory.CreateDirectory(directory);
        var runs = Path.Combine(directory, RunsFile);
        var differences = Path.Combine(directory, DifferencesFile);
        IO.AtomicFile.WriteAllText(runs, RunsCsv(rows));
        IO.AtomicFile.WriteAllText(differences, DifferencesCsv(holdout, Differences(rows, tasks)));
        return [runs, differences];
    }
}
