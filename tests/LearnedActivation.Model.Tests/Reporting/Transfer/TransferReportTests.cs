using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Reporting;
using LearnedActivation.Model.Reporting.Transfer;

namespace LearnedActivation.Model.Tests.Reporting.Transfer;

/// <summary>transfer.csv and the paired differences against fixed, against hand-computed values.</summary>
public sealed class TransferReportTests
{
    private static readonly ModelConfig Source = new(BaseActivation.Tanh, SizePreset.Small, SizePreset.Medium, StudyArm.Learned);

    private static TransferRun Run(StudyArm arm, long seed, double? accuracy, string? sourceRun = null)
    {
        var config = new ModelConfig(BaseActivation.Tanh, SizePreset.Small, SizePreset.Medium, arm);
        var name = sourceRun is null ? $"{config.Name}_s{seed}" : $"{sourceRun}_{Names.Of(arm)}_s{seed}";
        var summary = RunSummary.Missing(config, seed, name) with
        {
            Outcome = accuracy is null ? RunOutcome.Failed : RunOutcome.Completed,
            TestAccuracy = accuracy,
            TestAuc = accuracy + 0.05,
        };
        return new TransferRun(summary, sourceRun, sourceRun is null ? null : Source);
    }

    private static readonly TransferRun[] Runs =
    [
        Run(StudyArm.Fixed, 0, 0.80), Run(StudyArm.Fixed, 1, 0.82), Run(StudyArm.Fixed, 2, 0.81),

        // Two source runs of one configuration: averaged per seed, so each seed counts once.
        Run(StudyArm.Frozen, 0, 0.81, "tanh_small_medium_s0"), Run(StudyArm.Frozen, 0, 0.83, "tanh_small_medium_s1"),
        Run(StudyArm.Frozen, 1, 0.86, "tanh_small_medium_s0"), Run(StudyArm.Frozen, 1, 0.86, "tanh_small_medium_s1"),
        Run(StudyArm.Frozen, 2, 0.84, "tanh_small_medium_s0"), Run(StudyArm.Frozen, 2, null, "tanh_small_medium_s1"),
        Run(StudyArm.Learned, 0, 0.79), Run(StudyArm.Learned, 1, 0.81),
    ];

    [Fact]
    public void DifferencesArePairedBySeedWithTheStudysInterval()
    {
        var row = Assert.Single(TransferStatistics.Of(Runs));

        Assert.Equal(Source, row.Source);
        Assert.Equal(3, row.Seeds);

        // frozen - fixed per seed: (0.82 - 0.80, 0.86 - 0.82, 0.84 - 0.81) = (0.02, 0.04, 0.03): mean 0.03, sd 0.01,
        // half-width t(0.975, 2) x 0.01 / sqrt(3) = 4.302653 x 0.0057735 = 0.024841.
        var frozen = row.Comparisons[StudyArm.Frozen].Difference;
        Assert.Equal(3, frozen.N);
        Assert.Equal(0.03, frozen.Mean, 9);
        Assert.Equal(0.03 - 0.024841, frozen.Low, 5);
        Assert.Equal(0.03 + 0.024841, frozen.High, 5);

        // learned - fixed: (-0.01, -0.01): no spread, a zero-width interval.
        var learned = row.Comparisons[StudyArm.Learned].Difference;
        Assert.Equal(-0.01, learned.Mean, 9);
        Assert.Equal(2, learned.N);
        Assert.False(row.Comparisons.ContainsKey(StudyArm.Finetuned));
    }

    [Fact]
    public void TheCsvHasOneRowPerRunWithItsSource()
    {
        var lines = TransferReport.Csv(Runs).TrimEnd('\n').Split('\n');
        var header = lines[0].Split(',');
        Assert.Equal(["run", "source_run", "source_arm", "base", "outer", "act", "arm", "seed", "outcome"], header.Take(9));
        Assert.Contains("test_accuracy", header);
        Assert.Contains("test_auc", header);
        Assert.Equal(Runs.Length + 1, lines.Length);

        var fixedRow = header.Zip(lines[1].Split(',')).ToDictionary(p => p.First, p => p.Second);
        Assert.Equal(("tanh_small_fixed_s0", "", "", "fixed", "0.800000", "0.850000"), (fixedRow["run"], fixedRow["source_run"], fixedRow["act"], fixedRow["arm"], fixedRow["test_accuracy"], fixedRow["test_auc"]));
        var frozenRow = header.Zip(lines[4].Split(',')).ToDictionary(p => p.First, p => p.Second);
        Assert.Equal(("tanh_small_medium_s0_frozen_s0", "tanh_small_medium_s0", "learned", "medium", "frozen", "0"), (frozenRow["run"], frozenRow["source_run"], frozenRow["source_arm"], frozenRow["act"], frozenRow["arm"], frozenRow["seed"]));
    }

    [Fact]
    public void TheReportWritesTheTableAndTheFigure()
    {
        var folder = Directory.CreateTempSubdirectory("learnact-transfer-report-");
        try
        {
            var files = TransferReport.Write(folder.FullName, "tr", "study", "credit.csv [y]", Runs);
            Assert.Equal(["transfer.csv", "transfer.png", "transfer.md"], files.Select(Path.GetFileName));
            var table = File.ReadAllText(Path.Combine(folder.FullName, "transfer.md"));
            Assert.Contains("| tanh / small / medium (learned) | 3 |", table, StringComparison.Ordinal);
            Assert.Contains("+3.00 [+0.52, +5.48]", table, StringComparison.Ordinal);
            Assert.Contains("tanh_small_medium_s1_frozen_s2: failed", table, StringComparison.Ordinal);
            Assert.True(new FileInfo(Path.Combine(folder.FullName, "transfer.png")).Length > 1000);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
