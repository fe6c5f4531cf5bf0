using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Reporting;

namespace LearnedActivation.Model.Tests.Reporting;

/// <summary>The report's table of issue 11, point 2, against values worked out by hand.</summary>
public sealed class FromScratchTableTests
{
    private static readonly ModelConfig Config = new(BaseActivation.Relu, SizePreset.Large, SizePreset.Large);

    [Fact]
    public void EachLearnedRunIsComparedWithTheFixedRunOfItsSeedAndCountedWhenMoreThanTwoPointsBelow()
    {
        double[] learned = [0.85, 0.80, 0.8290];
        double[] plain = [0.84, 0.84, 0.8490];
        double[] warm = [0.83, 0.84, 0.85];
        var runs = new List<RunSummary>();
        for (var seed = 0; seed < 3; seed++)
        {
            // Seed 1 sits at chance (AUC 0.5) for 3 epochs; the others never.
            double[] auc = seed == 1 ? [0.5, 0.52, 0.54, 0.8] : [0.6, 0.7, 0.8, 0.85];
            runs.Add(Run(Config, seed, StudyArm.Learned, learned[seed], auc));
            runs.Add(Run(Config with { Activation = SizePreset.Small }, seed, StudyArm.Fixed, plain[seed], [0.7, 0.8, 0.85, 0.86]));
            runs.Add(Run(Config, seed, StudyArm.Warm, warm[seed], [0.7, 0.8, 0.85, 0.86]));
        }

        var md = FromScratchTable.Markdown(SweepRuns.Create(runs.Select(r => r.Config).Distinct().ToList(), runs, [0, 1, 2]));

        // +1.00, -4.00, -2.00: mean -1.67, worst -4.00; only seed 1 is more than 2 pp below (seed 2 is exactly 2).
        // Warm - fixed: -1.00, +0.00, +0.10: mean -0.30, worst -1.00. No fixed-wide arm ran.
        var row = md.Split('\n').Single(l => l.StartsWith("| relu | large | large |", StringComparison.Ordinal));
        Assert.Equal("| relu | large | large | 3 | +1.00, -4.00, -2.00 | -1.67 | -4.00 | 1 of 3 | 3 | 4-4 | -0.30 | -1.00 | - |", row);
        Assert.Contains("| all |  |  |  | 3 runs | -1.67 | -4.00 | 1 of 3 | 3 |  | -0.30 | -1.00 |  |", md, StringComparison.Ordinal);
        Assert.Contains("- fixed: 3 runs, at the cap: 0, most epochs at chance: 0, epochs 4-4 (median 4)", md, StringComparison.Ordinal);
    }

    [Fact]
    public void WhereOneRunHasNoAucCurveTheEpochsAtChanceAreUnknownNotZero()
    {
        // Seed 0 never at chance, seed 1's curve without AUC (a summary written before it was kept): unknown, not 0.
        var runs = new List<RunSummary>
        {
            Run(Config, 0, StudyArm.Learned, 0.8, auc: [0.7, 0.8, 0.8, 0.8]),
            Run(Config, 1, StudyArm.Learned, 0.8, auc: null),
            Run(Config with { Activation = SizePreset.Small }, 0, StudyArm.Fixed, 0.8, auc: [0.7, 0.8, 0.8, 0.8]),
            Run(Config with { Activation = SizePreset.Small }, 1, StudyArm.Fixed, 0.8, auc: [0.7, 0.8, 0.8, 0.8]),
        };

        var md = FromScratchTable.Markdown(SweepRuns.Create(runs.Select(r => r.Config).Distinct().ToList(), runs, [0, 1]));

        Assert.Contains("| relu | large | large | 2 | +0.00, +0.00 | +0.00 | +0.00 | 0 of 2 | - |", md, StringComparison.Ordinal);
        Assert.Contains("- fixed: 2 runs, at the cap: 0, most epochs at chance: 0,", md, StringComparison.Ordinal);
    }

    private static RunSummary Run(ModelConfig config, long seed, StudyArm arm, double testAccuracy, double[]? auc)
    {
        var inArm = config with { Arm = arm };
        var run = SweepRunsFixture.Completed(inArm, seed, $"{inArm.Name}_s{seed}") with { TestAccuracy = testAccuracy, EpochsCompleted = 4, StoppedEarly = true };
        return run with { Curves = run.Curves! with { ValidationAuc = auc } };
    }
}
