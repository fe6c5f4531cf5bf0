using System.Globalization;
using System.Text.Json;
using LearnedActivation.Client.Cli;
using LearnedActivation.Client.Tests.Support;
using LearnedActivation.Grains.Contracts;

namespace LearnedActivation.Client.Tests;

/// <summary>
/// Poison runs end, with real processes: three silo processes, sweeps submitted with the CLI, and a run that takes
/// down every silo it lands on. The test plays the poison: each time the run's execution starts on a silo, it
/// kills that silo with SIGKILL and starts it again on the same ports, as a supervisor would. The run's attempts
/// are counted in its record, which outlives the silos, so after Scheduling:MaxAttempts (3) lost executions the
/// run ends Failed with how the last one was lost, shown by <c>learnact status --json</c>; the runs of another
/// sweep complete meanwhile, and all three silos are up at the end (the ones never killed never went down).
/// </summary>
[Collection(SweepProcessGroup.Name)]
public sealed class PoisonRunEndsFailedInACluster(ThreeSiloCluster fixture) : IClassFixture<ThreeSiloCluster>
{
    /// <summary>Scheduling:MaxAttempts, left at its default in the fixture's silos.</summary>
    private const int MaxAttempts = 3;

    /// <summary>More epochs than the test waits for: only the poison's failure ends that run, never its training.</summary>
    private const int PoisonEpochs = 1000;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    private LocalCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task ARunThatKillsEverySiloItLandsOnEndsFailedAfterThreeAttemptsWhileTheOtherRunsCompleteAndEverySiloIsUp()
    {
        var data = new SweepSpecData(fixture.DataFile, CovertypeSample.Target);
        var poison = new SweepSpecFile("poison", ["tanh"], ["small"], ["small"], PoisonEpochs, data);
        var others = new SweepSpecFile("others", ["relu", "gelu"], ["small"], ["small", "medium"], Epochs: 2, data);
        await SubmitAsync(poison);
        await SubmitAsync(others);
        var original = Cluster.Silos.ToList();

        // Each execution of the poison run that starts training takes its silo down; the next claim starts another.
        var killed = new List<(RunStatus Run, LocalCluster.SiloProcess Silo)>();
        while (true)
        {
            var seen = await Cluster.WaitForAsync(
                poison.Id,
                s => s.Runs.Single() is var r && (r.IsTerminal || (r.Phase == RunPhase.Running && r.HostSilo is not null && r.Attempts > killed.Count)),
                $"execution {killed.Count + 1} of the poison run to start training, or the run to end",
                Timeout);
            var run = seen.Runs.Single();
            if (run.IsTerminal)
            {
                break;
            }

            Assert.True(
                killed.Count < MaxAttempts,
                $"execution {run.Attempts} of the poison run is training after {MaxAttempts} were lost\n{LocalCluster.Describe(seen)}");
            Assert.True(
                run.Attempts == killed.Count + 1,
                $"attempt {run.Attempts} of the poison run is training, but only {killed.Count} executions were killed\n{LocalCluster.Describe(seen)}");
            var host = Cluster.Silos.Single(s => s.Hosts(run));
            await Cluster.KillAndRestartAsync(host);
            killed.Add((run, host));
        }

        var ended = await Cluster.WaitForAsync(poison.Id, s => s.Phase is SweepPhase.Finished, "the poison sweep to finish", Timeout);
        var failed = ended.Runs.Single();
        Assert.True(failed.Phase == RunPhase.Failed, LocalCluster.Describe(ended));
        Assert.Equal(MaxAttempts, killed.Count);
        Assert.Equal(MaxAttempts, failed.Attempts);
        var (lastRun, lastSilo) = killed[^1];
        Assert.StartsWith($"gave up after {MaxAttempts} attempts (Scheduling:MaxAttempts = {MaxAttempts}); the last: its execution on ", failed.Error, StringComparison.Ordinal);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $":{lastSilo.SiloPort} was lost after epoch "), failed.Error, StringComparison.Ordinal);
        Assert.True(failed.Epoch >= lastRun.Epoch, $"the poison run went back from epoch {lastRun.Epoch} to {failed.Epoch}");

        // The other sweep's runs went on and completed. (Not necessarily on their first execution: on a loaded
        // machine, one whose record lived on a killed silo may hear nothing back for a lease and be run again.)
        var completed = await Cluster.WaitForAsync(others.Id, s => s.Phase is SweepPhase.Finished, "the other sweep to finish", Timeout);
        Assert.True(completed.Runs.All(r => r.Phase == RunPhase.Completed), LocalCluster.Describe(completed) + "\n" + Cluster.SiloOutputs());
        Assert.Equal(others.ConfigNames.Count, completed.Runs.Count);

        // Every silo is up and in the cluster: the killed ones restarted, the others never went down.
        Assert.Equal(3, Cluster.Silos.Count);
        Assert.All(Cluster.Silos, s => Assert.False(s.HasExited, $"silo {s.Index} exited\n{Cluster.SiloOutputs()}"));
        Assert.All(original.Where(s => !killed.Any(k => k.Silo == s)), s => Assert.Contains(s, Cluster.Silos));
        await Cluster.WaitUntilAllJoinedAsync();

        // The CLI shows the attempts and the last error.
        var status = await LearnactProcess.RunAsync(Cluster.WorkFolder, Timeout, Cluster.ClientEnvironment, "status", poison.Id, "--json");
        Assert.True(status.ExitCode == ExitCodes.Ok, status.ToString());
        using var json = JsonDocument.Parse(status.StandardOutput);
        var shown = json.RootElement.GetProperty("runs").EnumerateArray().Single();
        Assert.Equal("failed", shown.GetProperty("phase").GetString());
        Assert.Equal(MaxAttempts, shown.GetProperty("attempts").GetInt32());
        Assert.Equal(failed.Error, shown.GetProperty("error").GetString());
    }

    private async Task SubmitAsync(SweepSpecFile spec)
    {
        var file = spec.Write(Path.Combine(Cluster.WorkFolder, $"{spec.Id}.json"));
        var submit = await LearnactProcess.RunAsync(Cluster.WorkFolder, Timeout, Cluster.ClientEnvironment, "sweep", "--spec", file, "--detach");
        Assert.True(submit.ExitCode == ExitCodes.Ok, submit + "\n" + Cluster.SiloOutputs());
    }
}
