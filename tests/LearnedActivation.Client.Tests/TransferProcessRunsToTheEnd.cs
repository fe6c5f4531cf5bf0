using System.Globalization;
using System.Text;
using System.Text.Json;
using LearnedActivation.Client.Cli;
using LearnedActivation.Client.Tests.Support;

namespace LearnedActivation.Client.Tests;

/// <summary>
/// End to end (issue 15): a tiny study sweep, then <c>learnact transfer</c> of its learned activations to another
/// data set (string labels, another number of columns), <c>status</c> and <c>results</c> on the transfer sweep,
/// the study's report listing the transfer and judging claim (h) from it, and the one-line errors of a bad target and a source that does not exist.
/// </summary>
[Collection(SweepProcessGroup.Name)]
public sealed class TransferProcessRunsToTheEnd : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private static readonly string[] Arms = ["fixed", "learned", "frozen", "finetuned", "random-frozen"];
    private static readonly string[] SourceConfigs = ["tanh_small", "relu_small"];
    private static readonly string[] RequiredColumns = ["source_run", "base", "outer", "act", "arm", "seed", "test_accuracy", "test_auc"];

    private readonly TempDirectory _work = new();
    private readonly IReadOnlyDictionary<string, string> _ports = SiloPorts.FreshEnvironment();

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task TransferOfATinyStudyRunsAsASweepAndItsTableCanBeCopied()
    {
        var source = CovertypeSample.Write(_work.File("covertype.csv"), 2_000);
        var spec = new SweepSpecFile("src", ["tanh", "relu"], ["small"], ["small"], Epochs: 2, new SweepSpecData(source, CovertypeSample.Target));
        spec.Write(_work.File("src.json"));
        var sweep = await LearnactProcess.RunAsync(_work.Path, Timeout, _ports, "sweep", "--spec", "src.json");
        Assert.True(sweep.ExitCode == ExitCodes.Ok, sweep.ToString());
        WriteTarget(_work.File("target.csv"), 1_500);

        var badTarget = await LearnactProcess.RunAsync(_work.Path, Timeout, _ports, "transfer", "src", "--data", "target.csv", "--target", "nope", "--seeds", "2");
        Assert.Contains("nope", ErrorOutput.AssertBadInput(badTarget.ExitCode, badTarget.Lines, badTarget.ToString()), StringComparison.Ordinal);
        var noSource = await LearnactProcess.RunAsync(_work.Path, Timeout, _ports, "transfer", "absent", "--data", "target.csv", "--target", "label");
        Assert.Contains("'absent'", ErrorOutput.AssertBadInput(noSource.ExitCode, noSource.Lines, noSource.ToString()), StringComparison.Ordinal);

        var transfer = await LearnactProcess.RunAsync(_work.Path, Timeout, _ports, "transfer", "src", "--data", "target.csv", "--target", "label", "--seeds", "2", "--max-epochs", "2", "--patience", "2", "--id", "tr");
        Assert.True(transfer.ExitCode == ExitCodes.Ok, transfer.ToString());

        // Its figure beside the study's, named after the transfer: another transfer into that folder keeps this one.
        PngFile.AssertValidAtLeast(Path.Combine(_work.Path, "nn_activation_functions", "tr_transfer.png"), 400, 300);

        // Per seed: fixed once per base and outer size, learned and random-frozen once per configuration, frozen and finetuned once per source run.
        var expected = SourceConfigs.SelectMany(c => new[] { $"{c}_fixed", $"{c}_small", $"{c}_small_random-frozen", $"{c}_small_frozen", $"{c}_small_finetuned" })
            .SelectMany(n => new[] { $"{n}_s0", $"{n}_s1" }).Order().ToList();
        var status = await LearnactProcess.RunAsync(_work.Path, Timeout, _ports, "status", "tr", "--json");
        Assert.True(status.ExitCode == ExitCodes.Ok, status.ToString());
        using (var json = JsonDocument.Parse(status.StandardOutput))
        {
            Assert.Equal("finished", json.RootElement.GetProperty("phase").GetString());
            var runs = json.RootElement.GetProperty("runs").EnumerateArray().ToList();
            Assert.Equal(expected, runs.Select(r => r.GetProperty("configName").GetString()).Order());
            Assert.All(runs, r => Assert.Equal("completed", r.GetProperty("phase").GetString()));
        }

        var exported = _work.File("exported");
        var results = await LearnactProcess.RunAsync(_work.Path, Timeout, _ports, "results", "tr", "--out", exported);
        Assert.True(results.ExitCode == ExitCodes.Ok, results.ToString());
        AssertTransferCsv(Path.Combine(exported, "transfer.csv"), expected);
        PngFile.AssertValidAtLeast(Path.Combine(exported, "transfer.png"), 400, 300);
        var table = File.ReadAllText(Path.Combine(exported, "transfer.md"));
        Assert.Contains("tanh / small / small (learned)", table, StringComparison.Ordinal);
        Assert.Contains("frozen − fixed (pp)", table, StringComparison.Ordinal);

        // The study's report, rebuilt when the transfer finished, lists it with its table (copied beside it) and judges claim (h) from it.
        var study = _work.File("study-exported");
        var studyResults = await LearnactProcess.RunAsync(_work.Path, Timeout, _ports, "results", "src", "--out", study);
        Assert.True(studyResults.ExitCode == ExitCodes.Ok, studyResults.ToString());
        var report = File.ReadAllText(Path.Combine(study, "report.md"));
        Assert.Contains("| tr | target.csv [label] | finished | 20 of 20 | [tr_transfer.md](tr_transfer.md) |", report, StringComparison.Ordinal);
        Assert.Equal(table.Replace("](transfer.png)", "](tr_transfer.png)", StringComparison.Ordinal), File.ReadAllText(Path.Combine(study, "tr_transfer.md")));
        PngFile.AssertValidAtLeast(Path.Combine(study, "tr_transfer.png"), 400, 300);
        var claim = report.Split('\n').Single(l => l.StartsWith("| (h)", StringComparison.Ordinal));
        Assert.DoesNotContain("**not tested**", claim, StringComparison.Ordinal);
        Assert.Contains("2 source configuration × target cells from 1 finished transfer sweep(s): `tr` (target.csv [label])", claim, StringComparison.Ordinal);
        Assert.Contains("download=\"tr_transfer.md\"", File.ReadAllText(Path.Combine(study, "report.html")), StringComparison.Ordinal);

        // Frozen: the activation a frozen run saves is, byte for byte, the one its source saved; finetuned moved on.
        var store = new SweepStore(_work.File("runs"), "src");
        var sourceWeights = File.ReadAllBytes(store.RunArtifact("tanh_small_small", "activation.dat"));
        Assert.Equal(sourceWeights, File.ReadAllBytes(Path.Combine(exported, "runs", "tanh_small_small_frozen_s1", "activation.dat")));
        Assert.NotEqual(sourceWeights, File.ReadAllBytes(Path.Combine(exported, "runs", "tanh_small_small_finetuned_s1", "activation.dat")));
    }

    private static void AssertTransferCsv(string path, IReadOnlyList<string> expectedRuns)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        foreach (var column in RequiredColumns)
        {
            Assert.Contains(column, header);
        }

        var rows = lines.Skip(1).Select(l => header.Zip(l.Split(',')).ToDictionary(p => p.First, p => p.Second)).ToList();
        Assert.Equal(expectedRuns, rows.Select(r => r["run"]).Order());
        Assert.Equal(Arms.Order(), rows.Select(r => r["arm"]).Distinct().Order());
        Assert.All(rows, r =>
        {
            Assert.Equal("completed", r["outcome"]);
            Assert.InRange(double.Parse(r["test_accuracy"], CultureInfo.InvariantCulture), 0, 1);
            Assert.InRange(double.Parse(r["test_auc"], CultureInfo.InvariantCulture), 0, 1);
            Assert.Equal(r["arm"] is "frozen" or "finetuned", r["source_run"].Length > 0);
        });
        Assert.All(rows.Where(r => r["arm"] == "frozen"), r => Assert.Equal(r["run"][..r["run"].IndexOf("_frozen", StringComparison.Ordinal)], r["source_run"]));
    }

    /// <summary>Five numeric columns and a label of two strings, "yes" when a non-linear rule of the first three holds.</summary>
    internal static void WriteTarget(string path, int rows)
    {
        var random = new Random(5);
        var csv = new StringBuilder("a,b,c,d,e,label\n");
        for (var i = 0; i < rows; i++)
        {
            var x = Enumerable.Range(0, 5).Select(_ => random.NextDouble() * 2 - 1).ToArray();
            var label = x[0] * x[1] + 0.5 * Math.Sin(3 * x[2]) > 0 ? "yes" : "no";
            csv.Append(string.Join(',', x.Select(v => v.ToString("F4", CultureInfo.InvariantCulture)))).Append(',').Append(label).Append('\n');
        }

        File.WriteAllText(path, csv.ToString());
    }
}
