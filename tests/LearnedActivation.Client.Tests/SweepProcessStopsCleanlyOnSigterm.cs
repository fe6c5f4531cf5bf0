using LearnedActivation.Client.Cli;
using LearnedActivation.Client.Tests.Support;

namespace LearnedActivation.Client.Tests;

/// <summary>
/// A sweep asked to stop (SIGTERM, as a service manager or `kill` sends; Ctrl+C is SIGINT and takes the same
/// path) keeps the epoch it was on, exits 130, and the same command later carries on from exactly that epoch.
/// While it runs, <c>learnact status</c> reaches it through its gateway; after it stopped, status reads the
/// store and says the run is interrupted.
/// </summary>
[Collection(SweepProcessGroup.Name)]
public sealed class SweepProcessStopsCleanlyOnSigterm : IDisposable
{
    private const int Rows = 20_000;

    /// <summary>
    /// Long enough that the run is still training after the status call: an epoch of these rows takes ~50 ms and
    /// the status call several seconds (at 20 epochs the run could finish before the signal came).
    /// </summary>
    private const int Epochs = 250;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    private readonly TempDirectory _work = new();
    private readonly IReadOnlyDictionary<string, string> _ports = SiloPorts.FreshEnvironment();

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task TerminatedSweepExits130AndResumesFromTheEpochItStoppedAt()
    {
        var data = CovertypeSample.Write(_work.File("covertype.csv"), Rows);
        var spec = new SweepSpecFile("term", ["tanh"], ["small"], ["medium"], Epochs, new SweepSpecData(data, CovertypeSample.Target));
        spec.Write(_work.File("term.json"));
        var config = Assert.Single(spec.ConfigNames);
        var store = new SweepStore(_work.File("runs"), spec.Id);
        string[] command = ["sweep", "--spec", "term.json"];

        int stoppedAt;
        await using (var first = LearnactProcess.Start(_work.Path, _ports, command))
        {
            await Eventually.WaitAsync(() => store.LatestCheckpoint(config) >= 2 ? config : null, $"{config} to checkpoint epoch 2", first, Timeout);

            var live = await LearnactProcess.RunAsync(_work.Path, Timeout, _ports, "status", spec.Id);
            Assert.True(live.ExitCode == ExitCodes.Ok, live.ToString());
            Assert.True(live.Lines.Any(l => l.Contains(config, StringComparison.Ordinal) && l.Contains("running", StringComparison.Ordinal)), $"status while the sweep runs should show {config} running; {live}");
            Assert.DoesNotContain("interrupted", live.StandardOutput, StringComparison.Ordinal);

            await first.SignalAsync("TERM");
            var stopped = await first.WaitAsync(Timeout);

            Assert.True(stopped.ExitCode == ExitCodes.Interrupted, $"expected exit code {ExitCodes.Interrupted} after SIGTERM; {stopped}");
            stoppedAt = Assert.Single(SweepLog.Events(store.LogFile, SweepLog.Stopped)).Epoch;
            Assert.InRange(stoppedAt, 2, Epochs - 1);

            // The epoch in hand when the signal came is on disk, not only the last one the cadence saved.
            Assert.Equal(stoppedAt, store.LatestCheckpoint(config));
        }

        var after = await LearnactProcess.RunAsync(_work.Path, Timeout, _ports, "status", spec.Id);
        Assert.True(after.ExitCode == ExitCodes.Ok, after.ToString());
        Assert.True(after.Lines.Any(l => l.Contains(config, StringComparison.Ordinal) && l.Contains("interrupted", StringComparison.Ordinal)), $"status after the sweep stopped should show {config} interrupted; {after}");

        var firstProcessLines = SweepLog.LineCount(store.LogFile);
        var second = await LearnactProcess.RunAsync(_work.Path, Timeout, _ports, command);

        Assert.True(second.ExitCode == ExitCodes.Ok, second.ToString());
        var resumed = Assert.Single(SweepLog.Events(store.LogFile, SweepLog.TrainingFrom, firstProcessLines));
        Assert.Equal(stoppedAt, resumed.Epoch);
        Assert.Equal("completed", Assert.Single(store.ResultsTable())["outcome"]);
    }
}
