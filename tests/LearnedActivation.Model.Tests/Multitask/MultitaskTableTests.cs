using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Multitask;

namespace LearnedActivation.Model.Tests.Multitask;

/// <summary>The holdout tables: the multitask activation against fixed, learned and each single-task transfer, paired by seed.</summary>
public sealed class MultitaskTableTests
{
    private static HoldoutRow Row(HoldoutArm arm, long seed, double accuracy, SizePreset act = SizePreset.Small) =>
        new("california", BaseActivation.Tanh, SizePreset.Small, arm.Arm == StudyArm.Fixed ? ModelConfig.DefaultSize : act, arm, seed, accuracy, 0.5, 0.6, 2);

    [Fact]
    public void DifferencesArePairedBySeedPerComparisonWithIntervals()
    {
        var covertype = HoldoutArm.FrozenFrom("covertype");
        var electricity = HoldoutArm.FrozenFrom("electricity");
        HoldoutRow[] rows =
        [
            Row(HoldoutArm.Fixed, 0, 0.70), Row(HoldoutArm.Fixed, 1, 0.80), Row(HoldoutArm.Fixed, 2, 0.60),
            Row(HoldoutArm.Learned, 0, 0.72), Row(HoldoutArm.Learned, 1, 0.83), Row(HoldoutArm.Learned, 2, 0.61),
            Row(HoldoutArm.FrozenMultitask, 0, 0.75), Row(HoldoutArm.FrozenMultitask, 1, 0.84), Row(HoldoutArm.FrozenMultitask, 2, 0.66),
            Row(covertype, 0, 0.71), Row(covertype, 1, 0.81), Row(covertype, 2, 0.60),

            // electricity's transfer lacks seed 2: its comparisons pair seeds 0 and 1 only.
            Row(electricity, 0, 0.65), Row(electricity, 1, 0.85),
        ];

        var differences = HoldoutDifferences(rows);

        Assert.Equal(
            ["frozen:multitask - fixed", "learned - fixed", "frozen:multitask - learned", "frozen:multitask - frozen:on-covertype", "frozen:multitask - frozen:on-electricity", "frozen:on-covertype - fixed", "frozen:on-electricity - fixed"],
            differences.Select(d => $"{d.Arm.Name} - {d.Against.Name}"));
        var againstFixed = differences[0].Difference;
        Assert.Equal(3, againstFixed.N);
        Assert.Equal((0.05 + 0.04 + 0.06) / 3, againstFixed.Mean, 12);
        Assert.True(againstFixed.HasInterval && againstFixed.Low < againstFixed.Mean && againstFixed.Mean < againstFixed.High);
        var againstElectricity = differences[4].Difference;
        Assert.Equal(2, againstElectricity.N);
        Assert.Equal((0.10 - 0.01) / 2, againstElectricity.Mean, 12);
    }

    [Fact]
    public void TheRunsTableNamesEachFrozenArmsSource()
    {
        var csv = MultitaskTable.RunsCsv([Row(HoldoutArm.Fixed, 0, 0.7), Row(HoldoutArm.FrozenMultitask, 0, 0.75), Row(HoldoutArm.FrozenFrom("covertype"), 0, 0.71)]).Split('\n');

        Assert.Equal("holdout,base,outer,act,arm,source,seed,test_accuracy,test_auc,test_loss,epochs", csv[0]);
        Assert.StartsWith("california,tanh,small,-,fixed,-,0,0.7,", csv[1], StringComparison.Ordinal);
        Assert.StartsWith("california,tanh,small,small,frozen,multitask,0,0.75,", csv[2], StringComparison.Ordinal);
        Assert.StartsWith("california,tanh,small,small,frozen,on-covertype,0,0.71,", csv[3], StringComparison.Ordinal);
    }

    private static IReadOnlyList<HoldoutDifference> HoldoutDifferences(IReadOnlyList<HoldoutRow> rows) => MultitaskTable.Differences(rows, ["covertype", "electricity"]);
}
