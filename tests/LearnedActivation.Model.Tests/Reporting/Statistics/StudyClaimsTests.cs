using LearnedActivation.Model.Analysis;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Reporting;
using LearnedActivation.Model.Reporting.Claims;
using LearnedActivation.Model.Reporting.Statistics;
using LearnedActivation.Model.Tests.Analysis;

namespace LearnedActivation.Model.Tests.Reporting.Statistics;

public sealed class StudyClaimsTests
{
    [Fact]
    public void ExtremumNearZeroAndSteepnessAreSharesJudgedByTheirIntervals()
    {
        // 27 runs: every dominant extremum at z = 0.25 and |asymmetry| 0.75 → (d) and (e) supported.
        var claims = Check(SweepRunsFixture.AllCompleted().Select(r => r with { Analysis = KnownStats.Analysis() }));

        Assert.Equal(ClaimVerdict.Supported, claims["d"].Verdict);
        Assert.Contains("27 of 27", claims["d"].Evidence, StringComparison.Ordinal);
        Assert.Equal(ClaimVerdict.Supported, claims["e"].Verdict);

        // Dominant far from 0 and a symmetric function everywhere → both not supported.
        var far = KnownStats.Analysis(asymmetry: 0.1) with { Dominant = new DominantExtremum(3, 1.5, ExtremumKind.Min, 0.5, 0.9) };
        claims = Check(SweepRunsFixture.AllCompleted().Select(r => r with { Analysis = far }));
        Assert.Equal(ClaimVerdict.NotSupported, claims["d"].Verdict);
        Assert.Equal(ClaimVerdict.NotSupported, claims["e"].Verdict);
    }

    [Fact]
    public void FlatOnOneSideResemblingGeluNeedsOneSuchReluOrGeluRun()
    {
        var geluLike = KnownStats.Analysis() with { Nearest = new NearestSummary("gelu", "gelu", 0.01, 1, 0, 1, 0) };
        var runs = SweepRunsFixture.AllCompleted().Select((r, i) => r with { Analysis = i == 20 ? geluLike : KnownStats.Analysis() }).ToList();

        var claims = Check(runs);

        Assert.Equal(BaseActivation.Gelu, runs[20].Config.Base);
        Assert.Equal(ClaimVerdict.Supported, claims["f"].Verdict);
        Assert.Equal(ClaimVerdict.NotSupported, Check(SweepRunsFixture.AllCompleted().Select(r => r with { Analysis = KnownStats.Analysis() }))["f"].Verdict);
    }

    [Fact]
    public void OnParComesFromPairedDifferencesAgainstFixedAndIsNotTestedWithoutThem()
    {
        Assert.Equal(ClaimVerdict.NotTested, Check(SweepRunsFixture.AllCompleted())["g"].Verdict);

        var config = new ModelConfig(BaseActivation.Relu, SizePreset.Small, SizePreset.Small);
        double[] learned = [0.801, 0.812, 0.803, 0.809];
        double[] fixedArm = [0.800, 0.811, 0.803, 0.808];
        var runs = Enumerable.Range(0, 4).SelectMany(s => new[]
        {
            ArmStatisticsTests.Run(config, s, StudyArm.Learned, learned[s]),
            ArmStatisticsTests.Run(config, s, StudyArm.Fixed, fixedArm[s]),
        });

        var claims = Check(runs, [config, config with { Arm = StudyArm.Fixed }], [0, 1, 2, 3]);

        Assert.Equal(ClaimVerdict.Supported, claims["g"].Verdict);
        Assert.Contains("1 on par", claims["g"].Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void TransferIsNotTestedAndEveryClaimIsAnswered()
    {
        var claims = Check(SweepRunsFixture.AllCompleted());

        Assert.Equal(["a", "b", "c", "d", "e", "f", "g", "h"], claims.Keys);
        Assert.Equal(ClaimVerdict.NotTested, claims["h"].Verdict);
    }

    [Fact]
    public void WithOneSeedConsistencyAcrossSizesHasNoIntervalAndIsNotTested()
    {
        var claims = Check(SweepRunsFixture.AllCompleted());

        Assert.Equal(ClaimVerdict.NotTested, claims["a"].Verdict);
        Assert.Contains("one pair: no interval", claims["a"].Evidence, StringComparison.Ordinal);
    }

    private static Dictionary<string, Claim> Check(IEnumerable<RunSummary> runs, IReadOnlyList<ModelConfig>? configs = null, IReadOnlyList<long>? seeds = null)
    {
        var list = runs.ToList();
        // The study's learned configurations, and those of the other arms the runs bring (a configuration carries its arm).
        var sweep = SweepRuns.Create(configs ?? [.. SweepRunsFixture.Study, .. list.Select(r => r.Config)], list, seeds);
        return StudyClaims.Check(sweep, ArmStatistics.Of(sweep.Rows)).ToDictionary(c => c.Letter);
    }
}
