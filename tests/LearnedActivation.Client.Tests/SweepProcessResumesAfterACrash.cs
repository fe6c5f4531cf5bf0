using System.Text.Json;
using LearnedActivation.Client.Cli;
using LearnedActivation.Client.Tests.Support;

namespace LearnedActivation.Client.Tests;

/// <summary>
/// A crash costs time, never results: a sweep process killed with SIGKILL mid-run (no shutdown code runs, as
/// in a power cut or an OOM kill) is run again with the same command, and it finishes the interrupted run from
/// its last checkpoint, leaves the completed run alone, and ends with the weights an uninterrupted run gets.
/// </summary>
[Collection(SweepProcessGroup.Name)]
public sealed class SweepProcessResumesAfterACrash : IDisposable
{
    /// <summary>Enough rows and epochs that a run takes a few seconds: time to catch it between checkpoints.</summary>
    private const int Rows = 20_000;
    private const int Epochs = 12;
    private const int KillAfterCheckpoint = 3;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    private readonly TempDirectory _work = new();
    private readonly IReadOnlyDictionary<string, string> _ports = SiloPorts.FreshEnvironment();

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task KilledSweepResumesTheInterruptedRunFromItsCheckpointAndKeepsTheCompletedOne()
    {
        var data = CovertypeSample.Write(_work.File("covertype.csv"), Rows);
        var spec = new SweepSpecFile("crash", ["tanh"], ["small"], ["small", "medium"], Epochs, new SweepSpecData(data, CovertypeSample.Target));
        spec.Write(_work.File("crash.json"));
        var store = new SweepStore(_work.File("runs"), spec.Id);

        // One run at a time, so that the crash can find one run completed and the other part-way.
        string[] command = ["sweep", "--spec", "crash.json", "--slots", "1"];
        CrashPoint crash;
        await using (var first = LearnactProcess.Start(_work.Path, _ports, command))
        {
            crash = await Eventually.WaitAsync(() => FindCrashPoint(store, spec), $"one run completed and the other checkpointed epoch {KillAfterCheckpoint}", first, Timeout);
            await first.KillAsync();
        }

        var completedMetrics = File.ReadAllBytes(store.RunArtifact(crash.Completed, "metrics.json"));
        var firstProcessLines = SweepLog.LineCount(store.LogFile);

        var second = await LearnactProcess.RunAsync(_work.Path, Timeout, _ports, command);

        Assert.True(second.ExitCode == ExitCodes.Ok, second.ToString());
        var starts = SweepLog.Events(store.LogFile, SweepLog.TrainingFrom, firstProcessLines);
        var resumed = Assert.Single(starts, e => e.Run == $"{spec.Id}/{crash.Interrupted}");
        Assert.True(
            resumed.Epoch >= crash.Checkpoint,
            $"{crash.Interrupted} had checkpointed epoch {crash.Checkpoint} before the kill but trained again from epoch {resumed.Epoch}");
        Assert.DoesNotContain(starts, e => e.Run == $"{spec.Id}/{crash.Completed}");
        Assert.Equal(completedMetrics, File.ReadAllBytes(store.RunArtifact(crash.Completed, "metrics.json")));

        // The resumed run's record is whole: every epoch once, those before the crash included.
        using (var metrics = JsonDocument.Parse(File.ReadAllText(store.RunArtifact(crash.Interrupted, "metrics.json"))))
        {
            Assert.Equal(Enumerable.Range(1, Epochs), metrics.RootElement.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("epoch").GetInt32()));
        }

        Assert.All(store.ResultsTable(), r => Assert.Equal("completed", r["outcome"]));
        await AssertSameWeightsAsUninterruptedAsync(spec, crash.Interrupted, store);
    }

    /// <summary>The same configuration trained without a crash, under another sweep id in the same store, ends with the same bytes.</summary>
    private async Task AssertSameWeightsAsUninterruptedAsync(SweepSpecFile crashed, string config, SweepStore crashedStore)
    {
        var activationSize = config[(config.LastIndexOf('_') + 1)..];
        var fresh = crashed with { Id = "fresh", ActivationSizes = [activationSize] };
        fresh.Write(_work.File("fresh.json"));

        var result = await LearnactProcess.RunAsync(_work.Path, Timeout, _ports, "sweep", "--spec", "fresh.json");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        var expected = File.ReadAllBytes(new SweepStore(crashedStore.Root, fresh.Id).RunArtifact(config, "activation.safetensors"));
        Assert.True(
            expected.AsSpan().SequenceEqual(File.ReadAllBytes(crashedStore.RunArtifact(config, "activation.safetensors"))),
            $"{config}: the learned activation after the crash and resume differs from an uninterrupted run's");
    }

    /// <summary>Non-null once the log says one run completed and another run has a checkpoint of at least <see cref="KillAfterCheckpoint"/>.</summary>
    private static CrashPoint? FindCrashPoint(SweepStore store, SweepSpecFile spec)
    {
        // The run grain logs "ended Completed" after it has recorded the completion durably.
        var completed = SweepLog.Events(store.LogFile, SweepLog.Ended)
            .Where(e => e.Phase == "Completed")
            .Select(e => e.Run[(spec.Id.Length + 1)..])
            .FirstOrDefault();
        if (completed is null)
        {
            return null;
        }

        return spec.ConfigNames
            .Where(c => c != completed)
            .Select(c => new CrashPoint(completed, c, store.LatestCheckpoint(c)))
            .FirstOrDefault(p => p.Checkpoint >= KillAfterCheckpoint);
    }

    private sealed record CrashPoint(string Completed, string Interrupted, int Checkpoint);
}
