using System.Globalization;
using System.Text.Json;
using LearnedActivation.Client.Cli;
using LearnedActivation.Client.Tests.Support;

namespace LearnedActivation.Client.Tests;

/// <summary>
/// A transfer sweep is resumable like any sweep (issue 15): its process killed with SIGKILL mid-run, <c>learnact
/// resume</c> (with nothing left running on the store to train) names the command that resumes it here, and that
/// command finishes the interrupted run from its last checkpoint, leaves the completed one alone, and ends with every
/// run completed and transfer.csv whole.
/// </summary>
[Collection(SweepProcessGroup.Name)]
public sealed class TransferProcessResumesAfterACrash : IDisposable
{
    /// <summary>Enough target rows and epochs that a run takes a few seconds: time to catch it between checkpoints.</summary>
    private const int Rows = 20_000;
    private const int Epochs = 12;
    private const int KillAfterCheckpoint = 3;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    private readonly TempDirectory _work = new();
    private readonly IReadOnlyDictionary<string, string> _ports = SiloPorts.FreshEnvironment();

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task KilledTransferResumesWithTheCommandResumeNamesAndCompletesItsTable()
    {
        var source = CovertypeSample.Write(_work.File("covertype.csv"), 2_000);
        new SweepSpecFile("src", ["tanh"], ["small"], ["small"], Epochs: 2, new SweepSpecData(source, CovertypeSample.Target)).Write(_work.File("src.json"));
        var sweep = await LearnactProcess.RunAsync(_work.Path, Timeout, _ports, "sweep", "--spec", "src.json");
        Assert.True(sweep.ExitCode == ExitCodes.Ok, sweep.ToString());
        TransferProcessRunsToTheEnd.WriteTarget(_work.File("target.csv"), Rows);
        var store = new SweepStore(_work.File("runs"), "tr");

        // One run at a time, so that the crash finds one run completed and another part-way.
        string[] transfer = ["transfer", "src", "--data", "target.csv", "--target", "label", "--seeds", "2", "--max-epochs", $"{Epochs}", "--patience", $"{Epochs}", "--slots", "1", "--id", "tr"];
        CrashPoint crash;
        await using (var first = LearnactProcess.Start(_work.Path, _ports, transfer))
        {
            crash = await Eventually.WaitAsync(() => FindCrashPoint(store), $"one transfer run completed and another checkpointed epoch {KillAfterCheckpoint}", first, Timeout);
            await first.KillAsync();
        }

        var completedMetrics = File.ReadAllBytes(store.RunArtifact(crash.Completed, "metrics.json"));
        var firstProcessLines = SweepLog.LineCount(store.LogFile);

        // Nothing trains on the store now: resume says how to resume it here, as a transfer (not as a study).
        var resume = await LearnactProcess.RunAsync(_work.Path, Timeout, _ports, "resume", "tr");
        var hint = ErrorOutput.AssertBadInput(resume.ExitCode, resume.Lines, resume.ToString());
        const string Prefix = "resume it here with ";
        var at = hint.IndexOf(Prefix, StringComparison.Ordinal);
        Assert.True(at >= 0, hint);
        var command = hint[(at + Prefix.Length)..hint.IndexOf(", or pass --cluster", StringComparison.Ordinal)];
        Assert.StartsWith("learnact transfer src --data ", command, StringComparison.Ordinal);

        // That command, as printed, submits the same spec: the sweep resumes instead of being refused as another.
        var second = await LearnactProcess.RunAsync(_work.Path, Timeout, _ports, [.. command.Split(' ').Skip(1), "--slots", "1"]);

        Assert.True(second.ExitCode == ExitCodes.Ok, second.ToString());
        var starts = SweepLog.Events(store.LogFile, SweepLog.TrainingFrom, firstProcessLines);
        var resumed = Assert.Single(starts, e => e.Run == $"tr/{crash.Interrupted}");
        Assert.True(resumed.Epoch >= crash.Checkpoint, $"{crash.Interrupted} had checkpointed epoch {crash.Checkpoint} before the kill but trained again from epoch {resumed.Epoch}");
        Assert.DoesNotContain(starts, e => e.Run == $"tr/{crash.Completed}");
        Assert.Equal(completedMetrics, File.ReadAllBytes(store.RunArtifact(crash.Completed, "metrics.json")));

        var status = await LearnactProcess.RunAsync(_work.Path, Timeout, _ports, "status", "tr", "--json");
        Assert.True(status.ExitCode == ExitCodes.Ok, status.ToString());
        List<string> names;
        using (var json = JsonDocument.Parse(status.StandardOutput))
        {
            Assert.Equal("finished", json.RootElement.GetProperty("phase").GetString());
            var runs = json.RootElement.GetProperty("runs").EnumerateArray().ToList();
            Assert.All(runs, r => Assert.Equal("completed", r.GetProperty("phase").GetString()));
            names = [.. runs.Select(r => r.GetProperty("configName").GetString()!).Order()];
        }

        // 5 arms x 2 seeds for the one source: transfer.csv has each run once, completed, with its metrics.
        Assert.Equal(10, names.Count);
        var lines = File.ReadAllLines(store.Artifact("transfer.csv"));
        var header = lines[0].Split(',');
        var rows = lines.Skip(1).Select(l => header.Zip(l.Split(',')).ToDictionary(p => p.First, p => p.Second)).ToList();
        Assert.Equal(names, rows.Select(r => r["run"]).Order());
        Assert.All(rows, r =>
        {
            Assert.Equal("completed", r["outcome"]);
            Assert.InRange(double.Parse(r["test_accuracy"], CultureInfo.InvariantCulture), 0, 1);
        });
        using (var metrics = JsonDocument.Parse(File.ReadAllText(store.RunArtifact(crash.Interrupted, "metrics.json"))))
        {
            // The resumed run's record is whole: every epoch once, those before the crash included (it may stop early only by patience, which is the cap here).
            Assert.Equal(Enumerable.Range(1, Epochs), metrics.RootElement.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("epoch").GetInt32()));
        }
    }

    /// <summary>Non-null once the log says one transfer run completed and another has a checkpoint of at least <see cref="KillAfterCheckpoint"/>.</summary>
    private static CrashPoint? FindCrashPoint(SweepStore store)
    {
        var completed = SweepLog.Events(store.LogFile, SweepLog.Ended)
            .Where(e => e.Phase == "Completed" && e.Run.StartsWith("tr/", StringComparison.Ordinal))
            .Select(e => e.Run["tr/".Length..])
            .FirstOrDefault();
        var runs = Path.Combine(store.SweepFolder, "runs");
        if (completed is null || !Directory.Exists(runs))
        {
            return null;
        }

        return Directory.GetDirectories(runs).Select(Path.GetFileName).OfType<string>()
            .Where(c => c != completed)
            .Select(c => new CrashPoint(completed, c, store.LatestCheckpoint(c)))
            .FirstOrDefault(p => p.Checkpoint >= KillAfterCheckpoint);
    }

    private sealed record CrashPoint(string Completed, string Interrupted, int Checkpoint);
}
