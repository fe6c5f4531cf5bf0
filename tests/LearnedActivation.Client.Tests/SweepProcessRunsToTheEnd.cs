using System.Text.Json;
using LearnedActivation.Client.Cli;
using LearnedActivation.Client.Tests.Support;

namespace LearnedActivation.Client.Tests;

/// <summary>
/// End to end: <c>learnact sweep</c> run as a process with its defaults (store ./runs, figures
/// ./nn_activation_functions) on a tiny study, then <c>learnact status</c> and <c>learnact results</c> on what
/// it left, as a user would after the sweep process has exited.
/// </summary>
[Collection(SweepProcessGroup.Name)]
public sealed class SweepProcessRunsToTheEnd : IDisposable
{
    private const int Rows = 4_000;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    private readonly TempDirectory _work = new();
    private readonly IReadOnlyDictionary<string, string> _ports = SiloPorts.FreshEnvironment();

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task TinySweepCompletesAndItsOutputsCanBeQueriedAndCopied()
    {
        var data = CovertypeSample.Write(_work.File("covertype.csv"), Rows);
        var spec = new SweepSpecFile("quick", ["tanh", "relu"], ["small"], ["small", "medium"], Epochs: 2, new SweepSpecData(data, CovertypeSample.Target));
        spec.Write(_work.File("quick.json"));

        var sweep = await LearnactProcess.RunAsync(_work.Path, Timeout, _ports, "sweep", "--spec", "quick.json");

        Assert.True(sweep.ExitCode == ExitCodes.Ok, sweep.ToString());

        // At the end it prints the results table and where the figures went.
        Assert.All(spec.ConfigNames, c => Assert.Contains(c, sweep.StandardOutput, StringComparison.Ordinal));
        Assert.Contains("nn_activation_functions", sweep.StandardOutput, StringComparison.Ordinal);
        AssertStudyLayout(_work.File("nn_activation_functions"), spec);
        var store = new SweepStore(_work.File("runs"), spec.Id);
        AssertResultsTable(store, spec);

        var status = await LearnactProcess.RunAsync(_work.Path, Timeout, _ports, "status", spec.Id, "--json");
        Assert.True(status.ExitCode == ExitCodes.Ok, status.ToString());
        AssertAllCompleted(status, spec);

        var exported = _work.File("exported");
        var results = await LearnactProcess.RunAsync(_work.Path, Timeout, _ports, "results", spec.Id, "--out", exported);
        Assert.True(results.ExitCode == ExitCodes.Ok, results.ToString());
        AssertExported(exported, spec);

        // The id names stored results: the same id with another budget is refused, not mixed into them.
        var table = File.ReadAllBytes(store.Artifact("results.csv"));
        var conflicting = await LearnactProcess.RunAsync(_work.Path, Timeout, _ports, "sweep", "--spec", "quick.json", "--epochs", "3");
        var line = ErrorOutput.AssertBadInput(conflicting.ExitCode, conflicting.Lines, conflicting.ToString());
        Assert.Contains("'quick'", line, StringComparison.Ordinal);
        Assert.Equal(table, File.ReadAllBytes(store.Artifact("results.csv")));
    }

    /// <summary>The original study's folder: every configuration's activation graph under its study name, and the sweep's figures beside them.</summary>
    private static void AssertStudyLayout(string folder, SweepSpecFile spec)
    {
        foreach (var config in spec.ConfigNames)
        {
            PngFile.AssertValid(Path.Combine(folder, $"tab_classification_covertype_{config}.png"), 800, 600);
        }

        foreach (var figure in spec.Bases.SelectMany(b => new[] { $"grid_{b}.png", $"overlay_{b}.png", $"learning_curves_{b}.png" }).Append("reference_functions.png"))
        {
            PngFile.AssertValidAtLeast(Path.Combine(folder, figure), 400, 300);
        }
    }

    private static readonly string[] AnalysisColumns = ["extrema_count", "asymmetry", "nearest", "nearest_error", "base_distance"];

    private static void AssertResultsTable(SweepStore store, SweepSpecFile spec)
    {
        var rows = store.ResultsTable();
        Assert.Equal(spec.ConfigNames.Order(), rows.Select(r => r["run"]).Order());
        Assert.All(rows, r =>
        {
            Assert.Equal("completed", r["outcome"]);
            Assert.Equal("2", r["epochs"]);

            // Each completed run's analysis reaches the table through its stored summary.
            Assert.All(AnalysisColumns, c => Assert.False(string.IsNullOrEmpty(r[c]), $"{r["run"]}: {c} is empty"));
        });
    }

    private static void AssertAllCompleted(ProcessResult status, SweepSpecFile spec)
    {
        using var json = ParseJson(status);
        var root = json.RootElement;
        Assert.Equal(spec.Id, root.GetProperty("sweepId").GetString());
        Assert.Equal("finished", root.GetProperty("phase").GetString());

        // The sweep process has exited: status read the store, and says so.
        Assert.False(root.GetProperty("live").GetBoolean());
        var runs = root.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(spec.ConfigNames.Order(), runs.Select(r => r.GetProperty("configName").GetString()).Order());
        Assert.All(runs, r =>
        {
            Assert.Equal("completed", r.GetProperty("phase").GetString());
            Assert.Equal(spec.Epochs, r.GetProperty("epoch").GetInt32());
            Assert.Equal(spec.Epochs, r.GetProperty("totalEpochs").GetInt32());
        });
        Assert.Equal(spec.ConfigNames.Count, root.GetProperty("totals").GetProperty("completed").GetInt32());
        Assert.Empty(root.GetProperty("missingRuns").EnumerateArray());
    }

    /// <summary><c>results --out</c>: the report and table at the top, each run's weights, graphs and metrics in runs/{config}/.</summary>
    private static void AssertExported(string folder, SweepSpecFile spec)
    {
        var report = Path.Combine(folder, "report.md");
        Assert.True(File.Exists(report) && new FileInfo(report).Length > 0, $"{report} was not copied");
        Assert.True(File.Exists(Path.Combine(folder, "results.csv")), "results.csv was not copied");
        foreach (var config in spec.ConfigNames)
        {
            var run = Path.Combine(folder, "runs", config);
            PngFile.AssertValid(Path.Combine(run, $"tab_classification_covertype_{config}.png"), 800, 600);
            Assert.True(File.Exists(Path.Combine(run, "activation.safetensors")), $"{config}: activation.safetensors was not copied");
            using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "metrics.json")));
            Assert.Equal(config, metrics.RootElement.GetProperty("config").GetString());
        }
    }

    private static JsonDocument ParseJson(ProcessResult result)
    {
        try
        {
            return JsonDocument.Parse(result.StandardOutput);
        }
        catch (JsonException e)
        {
            throw new Xunit.Sdk.XunitException($"stdout of status --json is not JSON ({e.Message}); {result}");
        }
    }
}
