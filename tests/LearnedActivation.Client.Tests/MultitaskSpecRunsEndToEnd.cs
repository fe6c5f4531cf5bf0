using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using LearnedActivation.Client.Cli;
using LearnedActivation.Client.Tests.Support;
using LearnedActivation.Tests;

namespace LearnedActivation.Client.Tests;

/// <summary>
/// End to end: <c>learnact sweep --spec</c> with a <c>"kind": "multitask"</c> spec, as a process, on evenly spaced
/// rows of three real data sets (two training tasks of different widths and targets, one holdout). It runs as a
/// sweep of grains like any other: killed with SIGKILL while the joint run trains, <c>status</c> reads it from the
/// store, and the same command resumes the joint run from its checkpoint; then the single-task runs, the holdout
/// arms (fixed, learned, frozen from each source) and the tables. A task file that cannot be read is one line naming the task.
/// </summary>
[Collection(SweepProcessGroup.Name)]
public sealed class MultitaskSpecRunsEndToEnd : IDisposable
{
    private const int Epochs = 8;
    private const int KillAfterCheckpoint = 2;
    private const string Joint = "multitask_tanh_small_small_s0";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    private readonly TempDirectory _work = new();
    private readonly IReadOnlyDictionary<string, string> _ports = SiloPorts.FreshEnvironment();

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task AMultitaskSpecRunsAsASweepThatShowsInStatusResumesAfterAKillAndWritesTheTables()
    {
        var spec = Spec(
            [Head(SharedData.CovertypeBinary10, "covertype.csv", 3000), Head(SharedData.Grinsztajn("house_16H"), "house_16H.csv", 3000)],
            ["target", "binaryClass"],
            Head(SharedData.Grinsztajn("california"), "california.csv", 600),
            "price_above_median");
        File.WriteAllText(_work.File("mt.json"), spec.ToJsonString());
        var store = new SweepStore(_work.File("store"), "mt");
        string[] command = ["sweep", "--spec", "mt.json", "--store", "store", "--slots", "1"];

        // One run at a time: the joint run of seed 0 is first in the queue; kill the process once it has checkpointed.
        int checkpoint;
        await using (var first = LearnactProcess.Start(_work.Path, _ports, command))
        {
            checkpoint = (await Eventually.WaitAsync(
                () => store.LatestCheckpoint(Joint) is var c && c >= KillAfterCheckpoint && !EndedRuns(store).Contains(Joint) ? new Checkpointed(c) : null,
                $"the joint run to checkpoint epoch {KillAfterCheckpoint}",
                first,
                Timeout)).Epoch;
            await first.KillAsync();
        }

        // No process runs the sweep: status reads it from the store, with every run of the spec.
        using (var interrupted = await StatusAsync())
        {
            var root = interrupted.RootElement;
            Assert.False(root.GetProperty("live").GetBoolean());
            Assert.Equal("running", root.GetProperty("phase").GetString());
            Assert.Equal(ExpectedRuns.Order(), root.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("configName").GetString()!).Order());
        }

        var firstProcessLines = SweepLog.LineCount(store.LogFile);
        var second = await LearnactProcess.RunAsync(_work.Path, Timeout, _ports, command);

        Assert.True(second.ExitCode == ExitCodes.Ok, second.ToString());
        var resumed = Assert.Single(SweepLog.Events(store.LogFile, SweepLog.TrainingFrom, firstProcessLines), e => e.Run == $"mt/{Joint}");
        Assert.True(resumed.Epoch >= checkpoint, $"the joint run had checkpointed epoch {checkpoint} before the kill but trained again from epoch {resumed.Epoch}");

        using (var finished = await StatusAsync())
        {
            Assert.Equal("finished", finished.RootElement.GetProperty("phase").GetString());
            Assert.All(finished.RootElement.GetProperty("runs").EnumerateArray(), r => Assert.Equal("completed", r.GetProperty("phase").GetString()));
        }

        foreach (var seed in Enumerable.Range(0, 2))
        {
            var joint = $"multitask_tanh_small_small_s{seed}";
            Assert.True(new FileInfo(store.RunArtifact(joint, "activation.dat")).Length > 0);
            PngFile.AssertValid(store.RunArtifact(joint, "tab_classification_covertype_tanh_small_small.png"), 800, 600);
            var summary = JsonNode.Parse(File.ReadAllText(store.RunArtifact(joint, "multitask-run.json")))!;
            Assert.Equal(2, summary["tasks"]!.AsArray().Count);
            Assert.NotNull(summary["rollbacks"]?.AsArray());

            // Each frozen holdout run trained on its source's activation, unchanged: the same weights, byte for byte.
            foreach (var (source, frozen) in new[] { (joint, $"multitask_tanh_small_small_frozen_s{seed}"), ($"tanh_small_small_on-covertype_s{seed}", $"tanh_small_small_on-covertype_frozen_s{seed}") })
            {
                Assert.Equal(File.ReadAllBytes(store.RunArtifact(source, "activation.safetensors")), File.ReadAllBytes(store.RunArtifact(frozen, "activation.safetensors")));
            }
        }

        var rows = File.ReadAllLines(store.Artifact("multitask.csv"));
        Assert.Equal("holdout,base,outer,act,arm,source,seed,test_accuracy,test_auc,test_loss,epochs", rows[0]);
        Assert.Equal(
            ["fixed,-,0", "fixed,-,1", "frozen,multitask,0", "frozen,multitask,1", "frozen,on-covertype,0", "frozen,on-covertype,1", "frozen,on-house-16H,0", "frozen,on-house-16H,1", "learned,-,0", "learned,-,1"],
            rows.Skip(1).Select(r => r.Split(',')).Select(c => $"{c[4]},{c[5]},{c[6]}").Order(StringComparer.Ordinal));
        Assert.All(rows.Skip(1), r => Assert.StartsWith("california,tanh,small,", r, StringComparison.Ordinal));

        var differences = File.ReadAllLines(store.Artifact("multitask-differences.csv"));
        Assert.Equal(
            ["frozen:multitask-fixed", "learned-fixed", "frozen:multitask-learned", "frozen:multitask-frozen:on-covertype", "frozen:multitask-frozen:on-house-16H", "frozen:on-covertype-fixed", "frozen:on-house-16H-fixed"],
            differences.Skip(1).Select(r => r.Split(',')).Select(c => $"{c[4]}-{c[5]}"));
        Assert.All(differences.Skip(1), r => Assert.Equal("2", r.Split(',')[6]));
    }

    [Fact]
    public async Task AnUnreadableTaskFileIsOneLineNamingTheTask()
    {
        var good = Head(SharedData.Grinsztajn("electricity"), "electricity.csv", 300);
        File.WriteAllText(_work.File("broken.csv"), "a,b,class\n1,2,0\n3,x,1\n");
        var spec = Spec([good, _work.File("broken.csv")], ["class", "class"], Head(SharedData.Grinsztajn("california"), "california.csv", 300), "price_above_median");
        File.WriteAllText(_work.File("mt.json"), spec.ToJsonString());

        var result = await LearnactProcess.RunAsync(_work.Path, Timeout, _ports, "sweep", "--spec", "mt.json", "--store", "store");

        var line = ErrorOutput.AssertBadInput(result.ExitCode, result.Lines, result.ToString());
        Assert.StartsWith("error: tasks[1]: ", line, StringComparison.Ordinal);
        Assert.Contains("broken.csv", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_work.Path, "store", "mt")), "nothing is stored for a spec whose data cannot be read");
    }

    /// <summary>Per seed: the joint run, one single-task run per task, and on the holdout fixed, learned and a frozen run per source.</summary>
    private static IEnumerable<string> ExpectedRuns => Enumerable.Range(0, 2).SelectMany(s => new[]
    {
        $"multitask_tanh_small_small_s{s}", $"tanh_small_small_on-covertype_s{s}", $"tanh_small_small_on-house-16H_s{s}",
        $"tanh_small_fixed_s{s}", $"tanh_small_small_s{s}",
        $"multitask_tanh_small_small_frozen_s{s}", $"tanh_small_small_on-covertype_frozen_s{s}", $"tanh_small_small_on-house-16H_frozen_s{s}",
    });

    private sealed record Checkpointed(int Epoch);

    private static HashSet<string> EndedRuns(SweepStore store) =>
        [.. SweepLog.Events(store.LogFile, SweepLog.Ended).Select(e => e.Run[(e.Run.IndexOf('/', StringComparison.Ordinal) + 1)..])];

    private async Task<JsonDocument> StatusAsync()
    {
        var status = await LearnactProcess.RunAsync(_work.Path, Timeout, _ports, "status", "mt", "--store", "store", "--json");
        Assert.True(status.ExitCode == ExitCodes.Ok, status.ToString());
        return JsonDocument.Parse(status.StandardOutput);
    }

    private static JsonObject Spec(IReadOnlyList<string> files, IReadOnlyList<string> targets, string holdout, string holdoutTarget) => new()
    {
        ["kind"] = "multitask",
        ["id"] = "mt",
        ["tasks"] = new JsonArray([.. files.Zip(targets, (f, t) => (JsonNode)new JsonObject { ["file"] = f, ["target"] = t })]),
        ["holdout"] = new JsonObject { ["file"] = holdout, ["target"] = holdoutTarget },
        ["seeds"] = new JsonArray(0, 1),
        ["maxEpochs"] = Epochs,
        ["patience"] = Epochs,
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
