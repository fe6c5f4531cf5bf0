using System.Globalization;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Reporting;
using LearnedActivation.Model.Tests.Plots;

namespace LearnedActivation.Model.Tests.Reporting;

public sealed class SweepReportTests : IDisposable
{
    private static readonly string[] CsvHeader =
    [
        "run", "base", "outer", "act", "arm", "seed", "outcome", "epochs", "best_epoch",
        "val_accuracy", "val_auc", "test_accuracy", "test_auc", "test_loss", "training_time_s",
        "extrema_count", "dominant_z", "asymmetry", "nearest", "nearest_error", "base_distance",
        "outer_params", "activation_params", "train_accuracy", "warm_fit_error", "stopped_early",
        "group_seeds", "test_accuracy_mean", "test_accuracy_ci_low", "test_accuracy_ci_high",
        "test_auc_mean", "test_auc_ci_low", "test_auc_ci_high", "test_loss_mean", "test_loss_ci_low", "test_loss_ci_high",
        "vs_fixed_diff", "vs_fixed_ci_low", "vs_fixed_ci_high", "vs_fixed_verdict",
        "vs_fixed_wide_diff", "vs_fixed_wide_ci_low", "vs_fixed_wide_ci_high", "vs_fixed_wide_verdict",
    ];

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void FullSweepWritesEveryFigureTableAndReportAsValidFiles()
    {
        var result = SweepReport.Write(_directory.Path, "study", SweepRunsFixture.Study, SweepRunsFixture.AllCompleted());

        string[] expected =
        [
            "reference_functions.png",
            "grid_tanh.png", "overlay_tanh.png", "learning_curves_tanh.png", "functions_by_seed_tanh.png", "shape_heatmaps_tanh.png",
            "grid_relu.png", "overlay_relu.png", "learning_curves_relu.png", "functions_by_seed_relu.png", "shape_heatmaps_relu.png",
            "grid_gelu.png", "overlay_gelu.png", "learning_curves_gelu.png", "functions_by_seed_gelu.png", "shape_heatmaps_gelu.png",
            "function_distances.png", "results.csv", "results.md", "report.html", "report.md",
        ];
        Assert.Equal(expected, result.Files.Select(Path.GetFileName));
        Assert.Equal(expected.Order(), Directory.GetFiles(_directory.Path).Select(Path.GetFileName).Order());
        Assert.All(result.Files, f => Assert.Equal(_directory.Path, Path.GetDirectoryName(f)));
        Assert.Empty(result.MissingRuns);
        Assert.Equal(27, result.Rows.Count);

        PngFile.AssertValid(_directory.File("reference_functions.png"), 1200, 450);
        foreach (var name in new[] { "tanh", "relu", "gelu" })
        {
            PngFile.AssertValid(_directory.File($"grid_{name}.png"), 1350, 1100);
            PngFile.AssertValid(_directory.File($"overlay_{name}.png"), 1000, 650);
            PngFile.AssertValid(_directory.File($"learning_curves_{name}.png"), 1000, 600);
            PngFile.AssertValid(_directory.File($"functions_by_seed_{name}.png"), 1350, 1100);
            PngFile.AssertValid(_directory.File($"shape_heatmaps_{name}.png"), 1400, 560);
        }

        PngFile.AssertValid(_directory.File("function_distances.png"), 1094, 894);
    }

    [Fact]
    public void GridDrawsEveryCompletedRunsFunction()
    {
        SweepReport.Write(_directory.Path, "study", SweepRunsFixture.Study, SweepRunsFixture.AllCompleted());

        var pixels = GridImage.LearnedPixelsPerPanel(_directory.File("grid_relu.png"), 3, 3);

        Assert.All(pixels.Cast<int>(), count => Assert.True(count > 300, $"a panel has only {count} pixels of the learned curve"));
    }

    [Fact]
    public void CsvHasOneRowPerRunWithInvariantFourDecimalValuesWhateverTheCulture()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            SweepReport.Write(_directory.Path, "study", SweepRunsFixture.Study, SweepRunsFixture.AllCompleted());
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }

        var (header, rows) = ReadCsv(_directory.File("results.csv"));
        Assert.Equal(CsvHeader, header);
        Assert.Equal(27, rows.Count);
        Assert.Equal(SweepRunsFixture.Study.Select(c => c.Name), rows.Select(r => r["run"]));

        var config = new ModelConfig(BaseActivation.Gelu, SizePreset.Large, SizePreset.Medium);
        var i = SweepRunsFixture.IndexOf(config);
        var row = rows.Single(r => r["run"] == "gelu_large_medium");
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["run"] = "gelu_large_medium",
                ["base"] = "gelu",
                ["outer"] = "large",
                ["act"] = "medium",
                ["seed"] = "0",
                ["arm"] = "learned",
                ["outcome"] = "completed",
                ["epochs"] = "5",
                ["best_epoch"] = SweepRunsFixture.BestEpoch(i).ToString(CultureInfo.InvariantCulture),
                ["val_accuracy"] = SweepRunsFixture.ValAccuracy(i).ToString("F4", CultureInfo.InvariantCulture),
                ["val_auc"] = SweepRunsFixture.ValAuc(i).ToString("F4", CultureInfo.InvariantCulture),
                ["test_accuracy"] = SweepRunsFixture.TestAccuracy(i).ToString("F4", CultureInfo.InvariantCulture),
                ["test_auc"] = SweepRunsFixture.TestAuc(i).ToString("F4", CultureInfo.InvariantCulture),
                ["test_loss"] = "",
                ["training_time_s"] = SweepRunsFixture.TrainingTime(i).TotalSeconds.ToString("F4", CultureInfo.InvariantCulture),
                ["extrema_count"] = "",
                ["dominant_z"] = "",
                ["asymmetry"] = "",
                ["nearest"] = "",
                ["nearest_error"] = "",
                ["base_distance"] = "",
                ["outer_params"] = "",
                ["activation_params"] = "",
                ["train_accuracy"] = "",
                ["warm_fit_error"] = "",
                ["stopped_early"] = "",
                ["group_seeds"] = "1",
                ["test_accuracy_mean"] = SweepRunsFixture.TestAccuracy(i).ToString("F4", CultureInfo.InvariantCulture),
                ["test_accuracy_ci_low"] = "",
                ["test_accuracy_ci_high"] = "",
                ["test_auc_mean"] = SweepRunsFixture.TestAuc(i).ToString("F4", CultureInfo.InvariantCulture),
                ["test_auc_ci_low"] = "",
                ["test_auc_ci_high"] = "",
                ["test_loss_mean"] = "",
                ["test_loss_ci_low"] = "",
                ["test_loss_ci_high"] = "",
                ["vs_fixed_diff"] = "",
                ["vs_fixed_ci_low"] = "",
                ["vs_fixed_ci_high"] = "",
                ["vs_fixed_verdict"] = "",
                ["vs_fixed_wide_diff"] = "",
                ["vs_fixed_wide_ci_low"] = "",
                ["vs_fixed_wide_ci_high"] = "",
                ["vs_fixed_wide_verdict"] = "",
            },
            row);
        Assert.Equal("0.8250", row["val_accuracy"]);
        Assert.Equal("35.2500", row["training_time_s"]);
    }

    [Fact]
    public void CsvCarriesTheAnalysisOfRunsThatHaveOne()
    {
        var runs = SweepRunsFixture.AllCompleted().ToList();
        runs[0] = runs[0] with { Analysis = Analysis.KnownStats.Analysis() };
        runs[1] = runs[1] with { Analysis = Analysis.KnownStats.Analysis(asymmetry: double.PositiveInfinity) with { Dominant = null, Extrema = [], ExtremaCount = 0 } };

        SweepReport.Write(_directory.Path, "study", SweepRunsFixture.Study, runs);

        var (_, rows) = ReadCsv(_directory.File("results.csv"));
        string[] columns = ["extrema_count", "dominant_z", "asymmetry", "nearest", "nearest_error", "base_distance"];
        Assert.Equal(["1", "0.2500", "-0.7500", "tanh|sigmoid", "0.0312", "0.0312"], columns.Select(c => rows[0][c]));
        Assert.Equal(["0", "", "Infinity", "tanh|sigmoid", "0.0312", "0.0312"], columns.Select(c => rows[1][c]));
        Assert.Equal(["", "", "", "", "", ""], columns.Select(c => rows[2][c]));
        Assert.Contains("| - | 10.2500 | 1 | 0.2500 | -0.7500 | tanh\\|sigmoid | 0.0312 | 0.0312 |", File.ReadAllText(_directory.File("results.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void MarkdownTableHasEveryRunAndTheMeanTestAccuracyPerBase()
    {
        SweepReport.Write(_directory.Path, "study", SweepRunsFixture.Study, SweepRunsFixture.AllCompleted());

        var markdown = File.ReadAllText(_directory.File("results.md"));

        Assert.StartsWith("# Results of sweep study\n", markdown, StringComparison.Ordinal);
        Assert.Contains("| run | base | outer | act | arm | seed | outcome | epochs | best epoch | val acc | val AUC | test acc | test AUC | test loss | training time (s) |", markdown, StringComparison.Ordinal);
        Assert.Contains("| tanh_small_small | tanh | small | small | learned | 0 | completed | 5 | 1 | 0.7000 | 0.8000 | 0.6900 | 0.7900 | - | 10.2500 |", markdown, StringComparison.Ordinal);
        Assert.Equal(27, markdown.Split('\n').Count(l => l.Contains(" | learned | 0 | completed | 5 | ", StringComparison.Ordinal)));

        // tanh is runs 0..8: mean test accuracy 0.69 + 0.005 * 4; the best is the last of them.
        var meanTanh = (0.69 + (0.005 * 4)).ToString("F4", CultureInfo.InvariantCulture);
        Assert.Contains("## Mean test accuracy per base activation", markdown, StringComparison.Ordinal);
        Assert.Contains($"| tanh | 9 | 9 | 0.7200 | {meanTanh} | 0.8060 | tanh_large_large (0.7300) |", markdown, StringComparison.Ordinal);
        Assert.Contains("## Missing runs\n\nNone: every run completed.", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void SweepWithFailedAndMissingRunsStillWritesEverythingAndNamesThem()
    {
        var failedA = new ModelConfig(BaseActivation.Tanh, SizePreset.Small, SizePreset.Medium);
        var failedB = new ModelConfig(BaseActivation.Tanh, SizePreset.Large, SizePreset.Large);
        var absent = new ModelConfig(BaseActivation.Tanh, SizePreset.Medium, SizePreset.Small);
        var runs = SweepRunsFixture.Study
            .Where(c => c != absent)
            .Select(c => c == failedA ? SweepRunsFixture.Failed(c, "loss became NaN at epoch 3\n   at Trainer.Step()")
                : c == failedB ? SweepRunsFixture.Failed(c, "out of memory")
                : SweepRunsFixture.Completed(c))
            .ToList();

        var result = SweepReport.Write(_directory.Path, "broken", SweepRunsFixture.Study, runs);

        Assert.Equal(21, result.Files.Count);
        Assert.All(result.Files, f => Assert.True(File.Exists(f), $"{f} was not written"));
        PngFile.AssertValid(_directory.File("grid_tanh.png"), 1350, 1100);
        PngFile.AssertValid(_directory.File("overlay_tanh.png"), 1000, 650);
        PngFile.AssertValid(_directory.File("learning_curves_tanh.png"), 1000, 600);
        Assert.Equal(["tanh_small_medium", "tanh_medium_small", "tanh_large_large"], result.MissingRuns);

        var missingSection = MarkdownSection(File.ReadAllText(_directory.File("results.md")), "## Missing runs");
        Assert.Equal(
            [
                "- `tanh_small_medium` (failed): loss became NaN at epoch 3 at Trainer.Step()",
                "- `tanh_medium_small` (missing): no result was reported",
                "- `tanh_large_large` (failed): out of memory",
            ],
            missingSection);
        Assert.Equal(missingSection, MarkdownSection(File.ReadAllText(_directory.File("report.md")), "## Missing runs"));

        var (_, rows) = ReadCsv(_directory.File("results.csv"));
        Assert.Equal(27, rows.Count);
        var missingRow = rows.Single(r => r["run"] == "tanh_medium_small");
        Assert.Equal(["missing", "", "", "", ""], [missingRow["outcome"], missingRow["epochs"], missingRow["val_accuracy"], missingRow["test_accuracy"], missingRow["training_time_s"]]);
        var failedRow = rows.Single(r => r["run"] == "tanh_small_medium");
        Assert.Equal(["failed", "2", ""], [failedRow["outcome"], failedRow["epochs"], failedRow["test_accuracy"]]);

        // Rows: outer small, medium, large; columns: act small, medium, large.
        var pixels = GridImage.LearnedPixelsPerPanel(_directory.File("grid_tanh.png"), 3, 3);
        for (var row = 0; row < 3; row++)
        {
            for (var column = 0; column < 3; column++)
            {
                var shouldBeMissing = (row, column) is (0, 1) or (1, 0) or (2, 2);
                Assert.True(shouldBeMissing ? pixels[row, column] == 0 : pixels[row, column] > 300, $"panel ({row}, {column}) has {pixels[row, column]} learned-curve pixels");
            }
        }

        CopySamples("failed-and-missing");
    }

    [Fact]
    public void SweepWhereNothingCompletedStillWritesEveryFile()
    {
        var runs = SweepRunsFixture.Study.Take(3).Select(c => SweepRunsFixture.Failed(c, "boom")).ToList();

        var result = SweepReport.Write(_directory.Path, "nothing", SweepRunsFixture.Study, runs);

        // Nothing to compare: no distance matrix.
        Assert.Equal(20, result.Files.Count);
        Assert.DoesNotContain(result.Files, f => Path.GetFileName(f) == "function_distances.png");
        Assert.Equal(27, result.MissingRuns.Count);
        PngFile.AssertValid(_directory.File("grid_gelu.png"), 1350, 1100);
        Assert.Contains("0 of 27 runs completed; 3 failed, 24 missing.", File.ReadAllText(_directory.File("report.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void SubsetSweepWritesOnlyTheFiguresThatApply()
    {
        var configs = Enum.GetValues<SizePreset>().Select(a => new ModelConfig(BaseActivation.Tanh, SizePreset.Small, a)).ToList();

        var result = SweepReport.Write(_directory.Path, "subset", configs, [.. configs.Select(c => SweepRunsFixture.Completed(c))]);

        Assert.Equal(
            ["reference_functions.png", "grid_tanh.png", "overlay_tanh.png", "learning_curves_tanh.png", "functions_by_seed_tanh.png", "shape_heatmaps_tanh.png",
             "function_distances.png", "results.csv", "results.md", "report.html", "report.md"],
            result.Files.Select(Path.GetFileName));
        Assert.Equal(result.Files.Order(), Directory.GetFiles(_directory.Path).Order());

        // One row of panels (outer small), three columns: no panel for sizes the sweep never ran.
        PngFile.AssertValid(_directory.File("grid_tanh.png"), 1350, 399);
        var pixels = GridImage.LearnedPixelsPerPanel(_directory.File("grid_tanh.png"), 1, 3);
        Assert.All(pixels.Cast<int>(), count => Assert.True(count > 300, $"a panel has only {count} learned-curve pixels"));

        var (_, rows) = ReadCsv(_directory.File("results.csv"));
        Assert.Equal(["tanh_small_small", "tanh_small_medium", "tanh_small_large"], rows.Select(r => r["run"]));
        var report = File.ReadAllText(_directory.File("report.md"));
        Assert.Contains("## tanh base", report, StringComparison.Ordinal);
        Assert.DoesNotContain("## relu base", report, StringComparison.Ordinal);
        Assert.DoesNotContain("grid_gelu.png", report, StringComparison.Ordinal);
        Assert.Contains("![tanh](reference_functions.png)", report, StringComparison.Ordinal);
        CopySamples("subset");
    }

    [Fact]
    public void SeveralSeedsAreAllListedAndTheGridUsesTheLowestSeedThatCompleted()
    {
        var small = new ModelConfig(BaseActivation.Relu, SizePreset.Small, SizePreset.Small);
        var large = new ModelConfig(BaseActivation.Relu, SizePreset.Small, SizePreset.Large);
        string Name(ModelConfig c, long seed) => RunSummary.NameFor(c, seed, severalSeeds: true);
        List<RunSummary> runs =
        [
            SweepRunsFixture.Completed(large, 2, Name(large, 2)),
            SweepRunsFixture.Completed(small, 1, Name(small, 1)),
            SweepRunsFixture.Failed(large, "diverged", 1, Name(large, 1)),
            SweepRunsFixture.Completed(small, 0, Name(small, 0)),
            SweepRunsFixture.Completed(small, 2, Name(small, 2)),
        ];

        var result = SweepReport.Write(_directory.Path, "seeds", [small, large], runs, expectedSeeds: [0, 1, 2]);

        Assert.Equal("relu_small_small_s1", Name(small, 1));
        var (_, rows) = ReadCsv(_directory.File("results.csv"));
        Assert.Equal(
            [
                ("relu_small_small_s0", "0", "completed"), ("relu_small_small_s1", "1", "completed"), ("relu_small_small_s2", "2", "completed"),
                ("relu_small_large_s0", "0", "missing"), ("relu_small_large_s1", "1", "failed"), ("relu_small_large_s2", "2", "completed"),
            ],
            rows.Select(r => (r["run"], r["seed"], r["outcome"])));
        Assert.Equal(["relu_small_large_s0", "relu_small_large_s1"], result.MissingRuns);
        Assert.Contains("the figures show, per configuration, the lowest seed that completed", File.ReadAllText(_directory.File("results.md")), StringComparison.Ordinal);

        // Seeds 0 and 1 of the large configuration have no result, seed 2 fills its panel.
        var pixels = GridImage.LearnedPixelsPerPanel(_directory.File("grid_relu.png"), 1, 2);
        Assert.All(pixels.Cast<int>(), count => Assert.True(count > 300, $"a panel has only {count} learned-curve pixels"));
        CopySamples("seeds");
    }

    [Fact]
    public void WithoutExpectedSeedsTheSeedsOfTheRunsAreExpectedAndAConfigurationWithoutRunsIsMissing()
    {
        var a = new ModelConfig(BaseActivation.Gelu, SizePreset.Small, SizePreset.Small);
        var b = new ModelConfig(BaseActivation.Gelu, SizePreset.Small, SizePreset.Medium);

        var result = SweepReport.Write(_directory.Path, "one-seed", [a, b], [SweepRunsFixture.Completed(a, 7)]);

        Assert.Equal([("gelu_small_small", 7L, RunOutcome.Completed), ("gelu_small_medium", 7L, RunOutcome.Missing)], result.Rows.Select(r => (r.RunName, r.Seed, r.Outcome)));
        Assert.Equal(["gelu_small_medium"], result.MissingRuns);
    }

    [Fact]
    public void ReportLinksEveryFigureByRelativePathAndEmbedsTheTables()
    {
        SweepReport.Write(_directory.Path, "study", SweepRunsFixture.Study, SweepRunsFixture.AllCompleted());

        var report = File.ReadAllText(_directory.File("report.md"));

        var images = System.Text.RegularExpressions.Regex.Matches(report, @"!\[[^\]]*\]\(([^)]+)\)").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(
            ["reference_functions.png",
             "grid_tanh.png", "overlay_tanh.png", "learning_curves_tanh.png", "functions_by_seed_tanh.png", "shape_heatmaps_tanh.png",
             "grid_relu.png", "overlay_relu.png", "learning_curves_relu.png", "functions_by_seed_relu.png", "shape_heatmaps_relu.png",
             "grid_gelu.png", "overlay_gelu.png", "learning_curves_gelu.png", "functions_by_seed_gelu.png", "shape_heatmaps_gelu.png",
             "function_distances.png"],
            images);
        Assert.All(images, image => Assert.True(File.Exists(Path.Combine(_directory.Path, image)), $"report links {image}, which does not exist"));
        Assert.Contains("![tanh, relu and gelu](reference_functions.png)", report, StringComparison.Ordinal);
        Assert.Contains("[results.csv](results.csv)", report, StringComparison.Ordinal);
        Assert.Contains("| gelu_large_large | gelu | large | large | learned | 0 | completed |", report, StringComparison.Ordinal);
        Assert.Contains("| relu | 9 | 9 |", report, StringComparison.Ordinal);
        CopySamples("full");
    }

    [Fact]
    public void EveryPerBaseFigureIsWrittenAndShownInTheReportUnderItsBase()
    {
        var result = SweepReport.Write(_directory.Path, "study", SweepRunsFixture.Study, SweepRunsFixture.AllCompleted());
        var report = File.ReadAllText(_directory.File("report.md"));

        foreach (var baseActivation in new[] { BaseActivation.Tanh, BaseActivation.Relu, BaseActivation.Gelu })
        {
            var section = report[report.IndexOf($"## {Names.Of(baseActivation)} base", StringComparison.Ordinal)..];
            foreach (var figure in SweepFigures.PerBase)
            {
                var file = figure.FileName(baseActivation);
                Assert.Contains(result.Files, f => Path.GetFileName(f) == file);
                Assert.Contains($"{figure.Caption}\n\n![{figure.AltText(Names.Of(baseActivation))}]({file})", section, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void WritingAgainReplacesTheFilesAndLeavesNoTemporaryFiles()
    {
        var runs = SweepRunsFixture.AllCompleted();
        SweepReport.Write(_directory.Path, "study", SweepRunsFixture.Study, [.. runs.Skip(1)]);
        Assert.Contains("`tanh_small_small` (missing)", File.ReadAllText(_directory.File("results.md")), StringComparison.Ordinal);

        SweepReport.Write(_directory.Path, "study", SweepRunsFixture.Study, runs);

        Assert.Contains("None: every run completed.", File.ReadAllText(_directory.File("results.md")), StringComparison.Ordinal);
        Assert.Equal(21, Directory.GetFiles(_directory.Path).Length);
        Assert.Empty(Directory.GetFiles(_directory.Path, "*.tmp"));
    }

    [Fact]
    public void RunOfAnUnexpectedConfigurationIsRejectedBeforeAnythingIsWritten()
    {
        var expected = new ModelConfig(BaseActivation.Tanh, SizePreset.Small, SizePreset.Small);
        var other = new ModelConfig(BaseActivation.Relu, SizePreset.Small, SizePreset.Small);

        var error = Assert.Throws<ArgumentException>(() => SweepReport.Write(_directory.Path, "s", [expected], [SweepRunsFixture.Completed(other)]));

        Assert.Contains("relu_small_small", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_directory.Path));
    }

    [Fact]
    public void TwoRunsOfTheSameConfigurationAndSeedAreRejected()
    {
        var config = new ModelConfig(BaseActivation.Tanh, SizePreset.Small, SizePreset.Small);

        var error = Assert.Throws<ArgumentException>(() =>
            SweepReport.Write(_directory.Path, "s", [config], [SweepRunsFixture.Completed(config), SweepRunsFixture.Failed(config, "again")]));

        Assert.Contains("reported twice", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_directory.Path));
    }

    [Fact]
    public void NoExpectedConfigurationIsRejected()
    {
        Assert.Throws<ArgumentException>(() => SweepReport.Write(_directory.Path, "s", [], []));
    }

    private static (string[] Header, List<Dictionary<string, string>> Rows) ReadCsv(string path)
    {
        var lines = File.ReadAllText(path).Split('\n');
        Assert.Equal(string.Empty, lines[^1]);
        var header = lines[0].Split(',');
        var rows = lines[1..^1].Select(line =>
        {
            var fields = line.Split(',');
            Assert.Equal(header.Length, fields.Length);
            return header.Zip(fields).ToDictionary(p => p.First, p => p.Second);
        }).ToList();
        return (header, rows);
    }

    /// <summary>The non-empty lines under <paramref name="heading"/> up to the next heading.</summary>
    private static List<string> MarkdownSection(string markdown, string heading)
    {
        var lines = markdown.Split('\n');
        var start = Array.IndexOf(lines, heading);
        Assert.True(start >= 0, $"no '{heading}' heading");
        return [.. lines.Skip(start + 1).TakeWhile(l => !l.StartsWith('#')).Where(l => l.Length > 0)];
    }

    /// <summary>With LEARNACT_PLOT_SAMPLES set, keeps this scenario's whole report for a person to look at.</summary>
    private void CopySamples(string scenario)
    {
        var samples = Environment.GetEnvironmentVariable("LEARNACT_PLOT_SAMPLES");
        if (string.IsNullOrEmpty(samples))
        {
            return;
        }

        var target = Path.Combine(samples, "report-" + scenario);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(_directory.Path))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
        }
    }
}
