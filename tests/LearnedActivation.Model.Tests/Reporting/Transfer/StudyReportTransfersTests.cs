using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Reporting;
using LearnedActivation.Model.Reporting.Transfer;

namespace LearnedActivation.Model.Tests.Reporting.Transfer;

/// <summary>A study's report lists its transfer sweeps, finished or not, links a finished one's table, and judges claim (h) from it.</summary>
public sealed class StudyReportTransfersTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static readonly IReadOnlyList<ModelConfig> Configs = [new(BaseActivation.Tanh, SizePreset.Small, SizePreset.Small)];

    [Fact]
    public void TheReportListsEachTransferSweepWithItsStatusAndLinksAFinishedOnesTable()
    {
        var source = Configs[0];
        var runs = new List<TransferRun>();
        for (var seed = 0; seed < 3; seed++)
        {
            var fixedAccuracy = 0.80 + (0.01 * seed);
            runs.Add(Run(source with { Arm = StudyArm.Fixed }, seed, fixedAccuracy, null, null));
            runs.Add(Run(source with { Arm = StudyArm.Frozen }, seed, fixedAccuracy - 0.03 + (0.001 * seed), source.Name, source));
        }

        File.WriteAllText(_directory.File("to-credit_transfer.md"), "# Transfer sweep to-credit\n");
        StudyTransfer[] transfers =
        [
            new("to-credit", "credit.csv [y]", StudyTransfer.FinishedStatus, runs.Count, runs.Count, "to-credit_transfer.md", runs),
            new("to-house", "house.csv [y]", "running", 2, 30, null, []),
        ];

        SweepReport.Write(_directory.Path, "study", Configs, [SweepRunsFixture.Completed(Configs[0])], transfers: transfers);

        var markdown = File.ReadAllText(_directory.File("report.md"));
        Assert.Contains("## Transfer to other data sets", markdown, StringComparison.Ordinal);
        Assert.Contains("| to-credit | credit.csv [y] | finished | 6 of 6 | [to-credit_transfer.md](to-credit_transfer.md) |", markdown, StringComparison.Ordinal);
        Assert.Contains("| to-house | house.csv [y] | running | 2 of 30 | when it finishes: `learnact results to-house` |", markdown, StringComparison.Ordinal);
        var claim = markdown.Split('\n').Single(l => l.StartsWith("| (h)", StringComparison.Ordinal));
        Assert.Contains("**supported**", claim, StringComparison.Ordinal);
        Assert.Contains("frozen − fixed: 0 better, 1 worse", claim, StringComparison.Ordinal);
        Assert.Contains("1 transfer sweep(s) not finished yet are not counted", claim, StringComparison.Ordinal);

        // The page carries the finished transfer's table inline, to download under its name.
        var html = File.ReadAllText(_directory.File("report.html"));
        Assert.Contains("download=\"to-credit_transfer.md\"", html, StringComparison.Ordinal);
        Assert.Contains("to-house", html, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutTransfersClaimHIsNotTested()
    {
        SweepReport.Write(_directory.Path, "study", Configs, [SweepRunsFixture.Completed(Configs[0])]);

        var markdown = File.ReadAllText(_directory.File("report.md"));
        Assert.Contains("No transfer sweep takes its activations from this study yet", markdown, StringComparison.Ordinal);
        Assert.Contains("**not tested**", markdown.Split('\n').Single(l => l.StartsWith("| (h)", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    private static TransferRun Run(ModelConfig config, long seed, double accuracy, string? sourceRun, ModelConfig? from)
    {
        var summary = RunSummary.Missing(config, seed, $"{config.Name}_s{seed}") with { Outcome = RunOutcome.Completed, TestAccuracy = accuracy };
        return new TransferRun(summary, sourceRun, from);
    }
}
