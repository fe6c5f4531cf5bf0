using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Reporting;
using LearnedActivation.Model.Reporting.Claims;
using LearnedActivation.Model.Reporting.Statistics;

namespace LearnedActivation.Model.Tests.Reporting.Statistics;

public sealed class ArmStatisticsTests
{
    private static readonly ModelConfig Config = new(BaseActivation.Tanh, SizePreset.Small, SizePreset.Medium);

    [Fact]
    public void TheIntervalIsStudentsTOverTheValues()
    {
        // mean 3, sample SD sqrt(2.5), t(4, 0.975) = 2.776445: half-width 2.776445 * sqrt(2.5 / 5) = 1.963243.
        var m = MeanInterval.Of([1.0, 2, 3, 4, 5])!;

        Assert.Equal(5, m.N);
        Assert.Equal(3.0, m.Mean, 12);
        Assert.Equal(3.0 - 1.963243, m.Low, 5);
        Assert.Equal(3.0 + 1.963243, m.High, 5);
        Assert.True(m.HasInterval);
    }

    [Fact]
    public void OneValueHasNoIntervalAndNoValuesNoMean()
    {
        var one = MeanInterval.Of([0.8, double.NaN])!;

        Assert.Equal(1, one.N);
        Assert.False(one.HasInterval);
        Assert.False(one.ExcludesZero);
        Assert.Null(MeanInterval.Of([double.NaN]));
    }

    [Theory]
    [InlineData(0.001, 0.004, ComparisonVerdict.OnPar)]
    [InlineData(-0.004, 0.0049, ComparisonVerdict.OnPar)]
    [InlineData(0.002, 0.02, ComparisonVerdict.Better)]
    [InlineData(-0.03, -0.001, ComparisonVerdict.Worse)]
    [InlineData(-0.01, 0.02, ComparisonVerdict.Inconclusive)]
    [InlineData(-0.004, 0.006, ComparisonVerdict.Inconclusive)]
    public void VerdictsFollowTheIntervalAgainstTheMargin(double low, double high, ComparisonVerdict expected) =>
        Assert.Equal(expected, Equivalence.Judge(new MeanInterval(3, (low + high) / 2, low, high)));

    [Fact]
    public void ASingleSeedIsInconclusive() => Assert.Equal(ComparisonVerdict.Inconclusive, Equivalence.Judge(new MeanInterval(1, 0.0, double.NaN, double.NaN)));

    [Fact]
    public void LearnedIsPairedWithFixedOfTheSameBaseOuterAndSeedWhateverTheActivationSize()
    {
        double[] learned = [0.80, 0.82, 0.81];
        double[] fixedArm = [0.79, 0.80, 0.80];
        var runs = new List<RunSummary>();
        for (var seed = 0; seed < 3; seed++)
        {
            runs.Add(Run(Config, seed, StudyArm.Learned, learned[seed]));
            // A fixed run carries whatever activation size; it applies to every activation size of its outer size.
            runs.Add(Run(Config with { Activation = SizePreset.Small }, seed, StudyArm.Fixed, fixedArm[seed]));
        }

        runs.Add(Run(Config with { Outer = SizePreset.Large }, 0, StudyArm.Fixed, 0.5));

        var statistics = ArmStatistics.Of(runs);

        var group = statistics.Single(s => s.Group.Arm == StudyArm.Learned);
        Assert.Equal(new ArmGroup(BaseActivation.Tanh, SizePreset.Small, SizePreset.Medium, StudyArm.Learned), group.Group);
        Assert.Equal(3, group.Seeds);
        var vsFixed = group.Against(StudyArm.Fixed)!;
        // Differences 0.01, 0.02, 0.01: mean 0.013333, SD 0.0057735, t(2) = 4.302653, half-width 0.0143422.
        Assert.Equal(0.0133333, vsFixed.Difference.Mean, 6);
        Assert.Equal(0.0133333 - 0.0143422, vsFixed.Difference.Low, 6);
        Assert.Equal(0.0133333 + 0.0143422, vsFixed.Difference.High, 6);
        Assert.Equal(ComparisonVerdict.Inconclusive, vsFixed.Verdict);
        Assert.Null(group.Against(StudyArm.FixedWide));
        var fixedGroup = statistics.Single(s => s.Group.Arm == StudyArm.Fixed && s.Group.Outer == SizePreset.Small);
        Assert.Null(fixedGroup.Group.Activation);
        Assert.Empty(fixedGroup.Comparisons);
        Assert.Equal(0.7966667, fixedGroup.TestAccuracy!.Mean, 6);
    }

    [Fact]
    public void FailedRunsAreLeftOut()
    {
        var runs = new[] { Run(Config, 0, StudyArm.Learned, 0.8), Run(Config, 1, StudyArm.Learned, 0.9) with { Outcome = RunOutcome.Failed } };

        Assert.Equal(1, ArmStatistics.Of(runs).Single().Seeds);
    }

    [Theory]
    [InlineData(8, 10, 0.4902, 0.9433)]
    [InlineData(0, 10, 0.0, 0.2775)]
    [InlineData(10, 10, 0.7225, 1.0)]
    public void SharesHaveWilsonIntervals(int count, int total, double low, double high)
    {
        var (l, h) = new Share(count, total).Interval;

        Assert.Equal(low, l, 4);
        Assert.Equal(high, h, 4);
    }

    [Fact]
    public void ClaimVerdictsCombineSubTests()
    {
        Assert.Equal(ClaimVerdict.Supported, Claim.Combine([SubTest.Supports, SubTest.Supports, SubTest.Untested]));
        Assert.Equal(ClaimVerdict.Mixed, Claim.Combine([SubTest.Supports, SubTest.Undecided]));
        Assert.Equal(ClaimVerdict.NotSupported, Claim.Combine([SubTest.Undecided, SubTest.Contradicts]));
        Assert.Equal(ClaimVerdict.NotTested, Claim.Combine([SubTest.Untested]));
    }

    internal static RunSummary Run(ModelConfig config, long seed, StudyArm arm, double testAccuracy)
    {
        var inArm = config with { Arm = arm };
        return SweepRunsFixture.Completed(inArm, seed, $"{inArm.Name}_s{seed}") with { TestAccuracy = testAccuracy };
    }
}
