using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Reporting;
using LearnedActivation.Model.Reporting.Claims;
using LearnedActivation.Model.Reporting.Transfer;

namespace LearnedActivation.Model.Tests.Reporting.Transfer;

/// <summary>
/// Claim (h) against hand-built transfer results: every verdict is reachable, a difference whose interval includes
/// zero never counts as a gain, and unfinished transfers give no verdict.
/// </summary>
public sealed class TransferClaimTests
{
    /// <summary>Four seeds; the noise has mean zero, so a cell's mean difference is its delta. Half-width of the interval: ~0.003 (x1), ~0.03 (x10).</summary>
    private static readonly double[] Noise = [0.002, -0.002, 0.001, -0.001];

    private static readonly BaseActivation[] Bases = [BaseActivation.Tanh, BaseActivation.Relu, BaseActivation.Gelu];

    /// <summary>One source configuration on the target: fixed, and frozen, finetuned and random-frozen at the given differences to it.</summary>
    private static IEnumerable<TransferRun> Cell(BaseActivation baseActivation, double frozen, double finetuned, double randomFrozen, double noiseScale = 1, int seeds = 4)
    {
        var source = new ModelConfig(baseActivation, SizePreset.Small, SizePreset.Small, StudyArm.Learned);
        var sourceRun = source.Name;
        for (var seed = 0; seed < seeds; seed++)
        {
            var fixedAccuracy = 0.80 + (0.01 * seed);
            var noise = Noise[seed] * noiseScale;
            yield return Run(source, StudyArm.Fixed, seed, fixedAccuracy, null);
            yield return Run(source, StudyArm.Frozen, seed, fixedAccuracy + frozen + noise, sourceRun);
            yield return Run(source, StudyArm.Finetuned, seed, fixedAccuracy + finetuned - noise, sourceRun);
            yield return Run(source, StudyArm.RandomFrozen, seed, fixedAccuracy + randomFrozen + (noise / 2), null);
        }
    }

    private static TransferRun Run(ModelConfig source, StudyArm arm, long seed, double accuracy, string? sourceRun)
    {
        var config = source with { Arm = arm };
        var name = sourceRun is null ? $"{config.Name}_s{seed}" : $"{sourceRun}_{Names.Of(arm)}_s{seed}";
        var summary = RunSummary.Missing(config, seed, name) with { Outcome = RunOutcome.Completed, TestAccuracy = accuracy, TestAuc = accuracy };
        return new TransferRun(summary, sourceRun, sourceRun is null ? null : source);
    }

    private static StudyTransfer Finished(string id, IEnumerable<TransferRun> runs)
    {
        var list = runs.ToList();
        return new StudyTransfer(id, "target.csv [label]", StudyTransfer.FinishedStatus, list.Count, list.Count, null, list);
    }

    private static Claim Judge(params StudyTransfer[] transfers) => TransferClaim.Check(transfers);

    [Fact]
    public void WorseEverywhereAndNoBetterThanRandomIsSupported()
    {
        var claim = Judge(Finished("tr", Bases.SelectMany(b => Cell(b, frozen: -0.02, finetuned: -0.02, randomFrozen: -0.02))));

        Assert.Equal(ClaimVerdict.Supported, claim.Verdict);
        Assert.Equal("h", claim.Letter);
        Assert.Contains("frozen − fixed: 0 better, 3 worse, 0 on par, 0 inconclusive (of 3)", claim.Evidence, StringComparison.Ordinal);
        Assert.Contains("control frozen − random-frozen: 0 better, 0 worse, 3 on par, 0 inconclusive (of 3)", claim.Evidence, StringComparison.Ordinal);
        Assert.Contains("Cells with a gain (frozen or finetuned better than fixed): 0; without a gain", claim.Evidence, StringComparison.Ordinal);
        Assert.Equal(["tr_transfer.png"], claim.Figures);
    }

    [Fact]
    public void BetterThanFixedInMostCellsIsNotSupported()
    {
        // Frozen better in two cells of three (finetuned on par); the third worse.
        var claim = Judge(Finished("tr", Cell(BaseActivation.Tanh, 0.02, 0, -0.02).Concat(Cell(BaseActivation.Relu, 0.02, 0, -0.02)).Concat(Cell(BaseActivation.Gelu, -0.02, -0.02, -0.02))));

        Assert.Equal(ClaimVerdict.NotSupported, claim.Verdict);
        Assert.Contains("frozen − fixed: 2 better, 1 worse, 0 on par, 0 inconclusive (of 3)", claim.Evidence, StringComparison.Ordinal);
        Assert.Contains("Cells with a gain (frozen or finetuned better than fixed): 2;", claim.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void AGainFromFineTuningAloneCounts()
    {
        var claim = Judge(Finished("tr", Bases.SelectMany(b => Cell(b, frozen: -0.02, finetuned: 0.02, randomFrozen: -0.02))));

        Assert.Equal(ClaimVerdict.NotSupported, claim.Verdict);
        Assert.Contains("finetuned − fixed: 3 better", claim.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void NoGainButALearnedShapeThatBeatsRandomIsMixed()
    {
        // Frozen on par with fixed, random-frozen far below: the learned shape does carry something.
        var claim = Judge(Finished("tr", Bases.SelectMany(b => Cell(b, frozen: 0, finetuned: 0, randomFrozen: -0.05))));

        Assert.Equal(ClaimVerdict.Mixed, claim.Verdict);
        Assert.Contains("frozen − fixed: 0 better, 0 worse, 3 on par", claim.Evidence, StringComparison.Ordinal);
        Assert.Contains("control frozen − random-frozen: 3 better", claim.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void AsManyGainsAsLossesIsMixed()
    {
        var claim = Judge(Finished("tr", Cell(BaseActivation.Tanh, 0.02, 0.02, 0).Concat(Cell(BaseActivation.Relu, -0.02, -0.02, -0.02))));

        Assert.Equal(ClaimVerdict.Mixed, claim.Verdict);
    }

    [Fact]
    public void AGainWhoseIntervalIncludesZeroIsNoGain()
    {
        // +2 pp on average, but noise ten times larger: every interval straddles zero. Neither a gain nor its absence.
        var claim = Judge(Finished("tr", Bases.SelectMany(b => Cell(b, frozen: 0.02, finetuned: 0.02, randomFrozen: 0.02, noiseScale: 10))));

        Assert.Equal(ClaimVerdict.Mixed, claim.Verdict);
        Assert.Contains("frozen − fixed: 0 better, 0 worse, 0 on par, 3 inconclusive (of 3)", claim.Evidence, StringComparison.Ordinal);
        Assert.Contains("Cells with a gain (frozen or finetuned better than fixed): 0; without a gain (neither better; worse, on par, or inconclusive with a mean ≤ 0): 0; undecided: 3", claim.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void InconclusiveWithoutGainSupportsTheClaim()
    {
        var claim = Judge(Finished("tr", Bases.SelectMany(b => Cell(b, frozen: -0.01, finetuned: -0.01, randomFrozen: -0.01, noiseScale: 10))));

        Assert.Equal(ClaimVerdict.Supported, claim.Verdict);
        Assert.Contains("3 inconclusive (of 3)", claim.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutAFinishedTransferWithIntervalsItIsNotTested()
    {
        Assert.Equal(ClaimVerdict.NotTested, Judge().Verdict);

        var running = new StudyTransfer("tr", "target.csv [label]", "running", 3, 48, null, []);
        var notFinished = Judge(running);
        Assert.Equal(ClaimVerdict.NotTested, notFinished.Verdict);
        Assert.Contains("1 transfer sweep(s) not finished yet are not counted", notFinished.Evidence, StringComparison.Ordinal);

        // One seed: differences without an interval say nothing.
        var oneSeed = Judge(Finished("tr", Bases.SelectMany(b => Cell(b, 0.05, 0.05, 0, seeds: 1))));
        Assert.Equal(ClaimVerdict.NotTested, oneSeed.Verdict);
    }

    [Fact]
    public void CellsOfSeveralTransfersAreCountedTogether()
    {
        var claim = Judge(
            Finished("to-a", Bases.SelectMany(b => Cell(b, -0.02, -0.02, -0.02))),
            Finished("to-b", Cell(BaseActivation.Tanh, 0.02, 0.02, -0.02)));

        Assert.Equal(ClaimVerdict.Supported, claim.Verdict);
        Assert.Contains("4 source configuration × target cells from 2 finished transfer sweep(s)", claim.Evidence, StringComparison.Ordinal);
        Assert.Equal(["to-a_transfer.png", "to-b_transfer.png"], claim.Figures);
    }

    [Fact]
    public void TheCsvReadsBackToTheSameStatistics()
    {
        var runs = Bases.SelectMany(b => Cell(b, 0.0123456, -0.02, -0.01)).ToList();

        var read = TransferReport.ReadCsv(TransferReport.Csv(runs));

        Assert.Equal(runs.Select(r => (r.Summary.RunName, r.Summary.Config, r.Seed, r.SourceRun, r.SourceConfig)), read.Select(r => (r.Summary.RunName, r.Summary.Config, r.Seed, r.SourceRun, r.SourceConfig)));
        var expected = TransferStatistics.Of(runs);
        var actual = TransferStatistics.Of(read);
        Assert.Equal(expected.Count, actual.Count);
        foreach (var (e, a) in expected.Zip(actual))
        {
            Assert.Equal(e.Source, a.Source);
            Assert.Equal(e.Comparisons.Keys.Order(), a.Comparisons.Keys.Order());
            foreach (var arm in e.Comparisons.Keys)
            {
                Assert.Equal(e.Comparisons[arm].Difference.Mean, a.Comparisons[arm].Difference.Mean, 2e-6);
                Assert.Equal(e.Comparisons[arm].Verdict, a.Comparisons[arm].Verdict);
            }

            Assert.Equal(e.FrozenVsRandom!.Verdict, a.FrozenVsRandom!.Verdict);
        }

        Assert.Throws<FormatException>(() => TransferReport.ReadCsv("run,base\n"));
    }
}
