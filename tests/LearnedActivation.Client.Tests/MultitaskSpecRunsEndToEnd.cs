using System.IO.Compression;
using System.Text.Json.Nodes;
using LearnedActivation.Client.Cli;
using LearnedActivation.Client.Tests.Support;
using LearnedActivation.Tests;

namespace LearnedActivation.Client.Tests;

/// <summary>
/// End to end: <c>learnact sweep --spec</c> with a <c>"kind": "multitask"</c> spec, as a process, on the heads of four
/// real data sets (three training tasks with different widths and targets, one holdout; evenly spaced rows): it trains the joint runs,
/// saves each shared activation as a learned run saves its own, trains the holdout arms, writes the tables, and a
/// second invocation trains nothing again. A task file that cannot be read is one line naming the task.
/// </summary>
public sealed class MultitaskSpecRunsEndToEnd : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    private readonly TempDirectory _work = new();

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task AMultitaskSpecTrainsTheJointRunsTheHoldoutArmsAndWritesTheTables()
    {
        var spec = Spec(
            [Head(SharedData.CovertypeBinary10, "covertype.csv", 900), Head(SharedData.Grinsztajn("electricity"), "electricity.csv", 900), Head(SharedData.Grinsztajn("house_16H"), "house_16H.csv", 900)],
            ["target", "class", "binaryClass"],
            Head(SharedData.Grinsztajn("california"), "california.csv", 900),
            "price_above_median");
        File.WriteAllText(_work.File("mt.json"), spec.ToJsonString());

        var result = await LearnactProcess.RunAsync(_work.Path, Timeout, "sweep", "--spec", "mt.json", "--store", "store");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        var root = Path.Combine(_work.Path, "store", "mt");
        foreach (var seed in new[] { 0, 1 })
        {
            var artifacts = Path.Combine(root, "runs", $"multitask_tanh_small_small_s{seed}", "artifacts");
            Assert.True(new FileInfo(Path.Combine(artifacts, "activation.dat")).Length > 0);
            Assert.True(File.Exists(Path.Combine(artifacts, "activation.safetensors")));
            PngFile.AssertValid(Path.Combine(artifacts, "tab_classification_covertype_tanh_small_small.png"), 800, 600);
            Assert.Equal(3, JsonNode.Parse(File.ReadAllText(Path.Combine(artifacts, "multitask-run.json")))!["tasks"]!.AsArray().Count);
        }

        var rows = File.ReadAllLines(Path.Combine(root, "artifacts", "multitask.csv"));
        Assert.Equal("holdout,base,outer,act,arm,seed,test_accuracy,test_auc,test_loss,epochs", rows[0]);
        Assert.Equal(
            ["fixed,0", "fixed,1", "frozen,0", "frozen,1", "learned,0", "learned,1"],
            rows.Skip(1).Select(r => r.Split(',')).Select(c => $"{c[4]},{c[5]}").Order());
        Assert.All(rows.Skip(1), r => Assert.StartsWith("california,tanh,small,", r, StringComparison.Ordinal));

        var differences = File.ReadAllLines(Path.Combine(root, "artifacts", "multitask-differences.csv"));
        Assert.Equal(["frozen-fixed", "learned-fixed", "frozen-learned"], differences.Skip(1).Select(r => r.Split(',')).Select(c => $"{c[4]}-{c[5]}"));
        Assert.All(differences.Skip(1), r => Assert.Equal("2", r.Split(',')[6]));

        // Run again: everything is found finished, and the tables are the same.
        var again = await LearnactProcess.RunAsync(_work.Path, Timeout, "sweep", "--spec", "mt.json", "--store", "store");
        Assert.True(again.ExitCode == ExitCodes.Ok, again.ToString());
        Assert.Contains("multitask_tanh_small_small_s1: finished before, not trained again", again.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(rows, File.ReadAllLines(Path.Combine(root, "artifacts", "multitask.csv")));
    }

    [Fact]
    public async Task AnUnreadableTaskFileIsOneLineNamingTheTask()
    {
        var good = Head(SharedData.Grinsztajn("electricity"), "electricity.csv", 300);
        File.WriteAllText(_work.File("broken.csv"), "a,b,class\n1,2,0\n3,x,1\n");
        var spec = Spec([good, _work.File("broken.csv")], ["class", "class"], Head(SharedData.Grinsztajn("california"), "california.csv", 300), "price_above_median");
        File.WriteAllText(_work.File("mt.json"), spec.ToJsonString());

        var result = await LearnactProcess.RunAsync(_work.Path, Timeout, "sweep", "--spec", "mt.json", "--store", "store");

        var line = ErrorOutput.AssertBadInput(result.ExitCode, result.Lines, result.ToString());
        Assert.StartsWith("error: tasks[1]: ", line, StringComparison.Ordinal);
        Assert.Contains("broken.csv", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_work.Path, "store", "mt")), "nothing is stored for a spec whose data cannot be read");
    }

    private static JsonObject Spec(IReadOnlyList<string> files, IReadOnlyList<string> targets, string holdout, string holdoutTarget) => new()
    {
        ["kind"] = "multitask",
        ["id"] = "mt",
        ["tasks"] = new JsonArray([.. files.Zip(targets, (f, t) => (JsonNode)new JsonObject { ["file"] = f, ["target"] = t })]),
        ["holdout"] = new JsonObject { ["file"] = holdout, ["target"] = holdoutTarget },
        ["seeds"] = new JsonArray(0, 1),
        ["maxEpochs"] = 2,
        ["batchSize"] = 128,
    };

    /// <summary>
    /// The header and <paramref name="rows"/> evenly spaced rows of a shared .csv.gz, as a plain CSV in the test's
    /// folder: some files are sorted by class (electricity: all DOWN, then all UP), so a plain head is not a sample.
    /// </summary>
    private string Head(string gz, string name, int rows)
    {
        using var reader = new StreamReader(new GZipStream(File.OpenRead(gz), CompressionMode.Decompress));
        var all = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            all.Add(line);
        }

        var body = all.Count - 1;
        File.WriteAllLines(_work.File(name), [all[0], .. Enumerable.Range(0, rows).Select(i => all[1 + (int)((long)i * body / rows)])]);
        return _work.File(name);
    }
}
