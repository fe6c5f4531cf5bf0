using System.Text.Json;
using LearnedActivation.Client.Cli;
using LearnedActivation.Client.Tests.Support;
using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Storage;

namespace LearnedActivation.Client.Tests;

/// <summary>
/// The cluster promise, with real processes: a sweep submitted with <c>learnact sweep --cluster --detach</c>
/// spreads over three silos; one silo is killed with SIGKILL while it trains; the sweep still completes on
/// the others, the interrupted run continues from its checkpoint (not from epoch 0), and its final weights
/// are byte for byte those of an uninterrupted run. Also: cancel and status from the CLI against the cluster.
/// </summary>
[Collection(SweepProcessGroup.Name)]
public sealed class ClusterSurvivesASiloKill(ThreeSiloCluster fixture) : IClassFixture<ThreeSiloCluster>
{
    private const int Epochs = 30;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    private LocalCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task KillingASiloMidTrainingLosesNothingAndChangesNoWeight()
    {
        var spec = new SweepSpecFile("kill", ["tanh", "relu"], ["small"], ["small", "medium"], Epochs, new SweepSpecData(fixture.DataFile, CovertypeSample.Target));
        spec.Write(Path.Combine(Cluster.WorkFolder, "kill.json"));

        var submit = await LearnactProcess.RunAsync(Cluster.WorkFolder, Timeout, Cluster.ClientEnvironment, "sweep", "--spec", "kill.json", "--detach");
        Assert.True(submit.ExitCode == ExitCodes.Ok, submit + "\n" + Cluster.SiloOutputs());

        // A run part-way through, with a checkpoint, and far enough from its end that the kill lands mid-training.
        var caught = await Cluster.WaitForAsync(
            spec.Id,
            s => s.Runs.Any(r => r.Phase == RunPhase.Running && r.Epoch is >= 3 and <= Epochs - 10 && r.LastCheckpointKey is not null),
            "a run with a checkpoint part-way through",
            Timeout);
        var victim = caught.Runs.First(r => r.Phase == RunPhase.Running && r.Epoch is >= 3 and <= Epochs - 10 && r.LastCheckpointKey is not null);
        var silo = Cluster.Silos.Single(s => s.Hosts(victim));
        silo.Kill();

        var finished = await Cluster.WaitForAsync(spec.Id, s => s.Phase is SweepPhase.Finished, "the sweep to finish on the remaining silos", Timeout);

        Assert.True(finished.Runs.All(r => r.Phase == RunPhase.Completed), LocalCluster.Describe(finished) + "\n" + Cluster.SiloOutputs());
        Assert.Empty(finished.MissingRuns);
        var resumedOn = Cluster.Silos.Where(s => s != silo).SelectMany(s => SweepLog.Events(s.LogFile, SweepLog.TrainingFrom)).Where(e => e.Run == $"{spec.Id}/{victim.ConfigName}").ToList();
        Assert.NotEmpty(resumedOn);
        Assert.All(resumedOn, resumed => Assert.True(
            resumed.Epoch >= victim.Epoch,
            $"{victim.ConfigName} had checkpointed epoch {victim.Epoch} on silo {silo.Index} before the kill but trained again from epoch {resumed.Epoch}"));

        // The CLI reads the same picture from the cluster.
        var status = await LearnactProcess.RunAsync(Cluster.WorkFolder, Timeout, Cluster.ClientEnvironment, "status", spec.Id, "--json");
        Assert.True(status.ExitCode == ExitCodes.Ok, status.ToString());
        using (var json = JsonDocument.Parse(status.StandardOutput))
        {
            Assert.Equal("finished", json.RootElement.GetProperty("phase").GetString());
        }

        await AssertSameWeightsAsUninterruptedAsync(spec, finished);
    }

    [Fact]
    public async Task StoppingEveryProcessMidSweepAndStartingAgainGivesTheSameResults()
    {
        var spec = new SweepSpecFile("restart", ["tanh", "relu"], ["small"], ["small"], Epochs, new SweepSpecData(fixture.DataFile, CovertypeSample.Target));
        spec.Write(Path.Combine(Cluster.WorkFolder, "restart.json"));
        var submit = await LearnactProcess.RunAsync(Cluster.WorkFolder, Timeout, Cluster.ClientEnvironment, "sweep", "--spec", "restart.json", "--detach");
        Assert.True(submit.ExitCode == ExitCodes.Ok, submit + "\n" + Cluster.SiloOutputs());
        var before = await Cluster.WaitForAsync(
            spec.Id,
            s => s.Runs.Any(r => r.Epoch is >= 3 and <= Epochs - 10 && r.LastCheckpointKey is not null),
            "a run with a checkpoint part-way through",
            Timeout);

        await Cluster.KillAndRestartAllSilosAsync();

        // Nobody resubmits: the cluster finds the sweep on its own (its board and reminder live in Redis and the store).
        var finished = await Cluster.WaitForAsync(spec.Id, s => s.Phase is SweepPhase.Finished, "the sweep to finish after the restart", Timeout);
        Assert.True(finished.Runs.All(r => r.Phase == RunPhase.Completed), LocalCluster.Describe(finished) + "\n" + Cluster.SiloOutputs());
        foreach (var run in before.Runs.Where(r => r.LastCheckpointKey is not null && r.Phase == RunPhase.Running))
        {
            var resumed = Cluster.Silos.SelectMany(s => SweepLog.Events(s.LogFile, SweepLog.TrainingFrom)).Where(e => e.Run == $"{spec.Id}/{run.ConfigName}").ToList();
            Assert.Contains(resumed, e => e.Epoch >= run.Epoch);
            Assert.Single(resumed, e => e.Epoch == 0);
        }

        await AssertSameWeightsAsUninterruptedAsync(spec, finished);
    }

    [Fact]
    public async Task StoppingTheBlobStoreMidTrainingShowsInStatusAndLosesNothing()
    {
        var spec = new SweepSpecFile("outage", ["tanh", "relu"], ["small"], ["small"], Epochs, new SweepSpecData(fixture.DataFile, CovertypeSample.Target));
        spec.Write(Path.Combine(Cluster.WorkFolder, "outage.json"));
        var submit = await LearnactProcess.RunAsync(Cluster.WorkFolder, Timeout, Cluster.ClientEnvironment, "sweep", "--spec", "outage.json", "--detach");
        Assert.True(submit.ExitCode == ExitCodes.Ok, submit + "\n" + Cluster.SiloOutputs());
        await Cluster.WaitForAsync(spec.Id, s => s.Runs.Any(r => r.Epoch is >= 3 and <= Epochs - 10), "a run part-way through", Timeout);

        var outage = System.Diagnostics.Stopwatch.StartNew();
        await Cluster.Azurite.StopAsync();
        var during = await Cluster.WaitForAsync(spec.Id, s => s.Storage is not null, "status to show the storage outage", TimeSpan.FromSeconds(60));
        var status = await LearnactProcess.RunAsync(Cluster.WorkFolder, Timeout, Cluster.ClientEnvironment, "status", spec.Id);
        Assert.True(status.ExitCode == ExitCodes.Ok, status.ToString());
        Assert.Contains("storage:", status.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("does not answer", during.Storage!.Error, StringComparison.Ordinal);

        // Down for 30 s in all, as an emulator restart or a network blip would be; then back with its data.
        await Task.Delay(TimeSpan.FromSeconds(30) - outage.Elapsed is { Ticks: > 0 } rest ? rest : TimeSpan.Zero);
        await Cluster.Azurite.StartAsync();

        var finished = await Cluster.WaitForAsync(spec.Id, s => s.Phase is SweepPhase.Finished, "the sweep to finish after the store returned", Timeout);
        Assert.True(finished.Runs.All(r => r.Phase == RunPhase.Completed), LocalCluster.Describe(finished) + "\n" + Cluster.SiloOutputs());
        Assert.Null(finished.Storage);
        Assert.All(finished.Runs, r => Assert.Equal(Epochs, r.Epoch));
        await AssertSameWeightsAsUninterruptedAsync(spec, finished);
    }

    [Fact]
    public async Task CancelFromTheCliStopsEveryRunOfTheSweep()
    {
        var spec = new SweepSpecFile("cancel", ["gelu"], ["small"], ["small", "medium"], Epochs: 200, new SweepSpecData(fixture.DataFile, CovertypeSample.Target));
        spec.Write(Path.Combine(Cluster.WorkFolder, "cancel.json"));
        var submit = await LearnactProcess.RunAsync(Cluster.WorkFolder, Timeout, Cluster.ClientEnvironment, "sweep", "--spec", "cancel.json", "--detach");
        Assert.True(submit.ExitCode == ExitCodes.Ok, submit + "\n" + Cluster.SiloOutputs());
        await Cluster.WaitForAsync(spec.Id, s => s.Runs.Any(r => r.Epoch >= 1), "a run to train an epoch", Timeout);

        var cancel = await LearnactProcess.RunAsync(Cluster.WorkFolder, Timeout, Cluster.ClientEnvironment, "cancel", spec.Id);

        Assert.True(cancel.ExitCode == ExitCodes.Ok, cancel + "\n" + Cluster.SiloOutputs());
        var ended = await Cluster.WaitForAsync(spec.Id, s => s.Runs.All(r => r.IsTerminal), "every run to end", Timeout);
        Assert.Equal(SweepPhase.Cancelled, ended.Phase);
        Assert.All(ended.Runs, r => Assert.Equal(RunPhase.Cancelled, r.Phase));
        Assert.All(ended.Runs, r => Assert.True(r.Epoch < 200, $"{r.ConfigName} trained to the end despite the cancel"));

        // Resumed from any machine: the runs continue from where the cancel left them, not from epoch 0.
        var resume = await LearnactProcess.RunAsync(Cluster.WorkFolder, Timeout, Cluster.ClientEnvironment, "resume", spec.Id);
        Assert.True(resume.ExitCode == ExitCodes.Ok, resume + "\n" + Cluster.SiloOutputs());
        var cancelledAt = ended.Runs.ToDictionary(r => r.ConfigName, r => r.Epoch);
        var again = await Cluster.WaitForAsync(spec.Id, s => s.Runs.Any(r => r.Epoch > cancelledAt[r.ConfigName]), "a resumed run to train past its cancel", Timeout);
        Assert.Equal(SweepPhase.Running, again.Phase);
        Assert.All(again.Runs, r => Assert.True(r.Epoch >= cancelledAt[r.ConfigName], $"{r.ConfigName} went back from epoch {cancelledAt[r.ConfigName]} to {r.Epoch}"));
        await Cluster.Grains.GetGrain<ISweepGrain>(spec.Id).CancelAsync();
        await Cluster.WaitForAsync(spec.Id, s => s.Runs.All(r => r.IsTerminal), "every run to end after the second cancel", Timeout);
    }

    /// <summary>Every completed run of <paramref name="sweep"/> ends with the bytes of the same configuration trained without any fault.</summary>
    private async Task AssertSameWeightsAsUninterruptedAsync(SweepSpecFile crashed, SweepStatus sweep)
    {
        var store = Cluster.Store;
        foreach (var run in sweep.Runs)
        {
            var expected = await fixture.ReferenceWeightsAsync(run.ConfigName, crashed with { Id = "reference" });
            var actual = await store.GetAsync(StoreLayout.RunArtifact(new RunKey(crashed.Id, run.ConfigName), "activation.safetensors"));
            Assert.NotNull(actual);
            Assert.True(expected.AsSpan().SequenceEqual(actual), $"{run.ConfigName}: the learned activation after the fault differs from an uninterrupted run's");
        }
    }
}

/// <summary>A cluster that is not there is one clear line and exit code 1 within seconds, not a hang.</summary>
public sealed class UnreachableClusterIsOneLine
{
    [Theory]
    [InlineData("status", "study")]
    [InlineData("cancel", "study")]
    public async Task CommandsAgainstANonexistentClusterFailWithExitCodeOne(string command, string sweep)
    {
        using var work = new TempDirectory();
        var redis = $"127.0.0.1:{LearnedActivation.Tests.Services.LoopbackService.FreePort()}";

        var result = await LearnactProcess.RunAsync(work.Path, TimeSpan.FromSeconds(60), command, sweep, "--cluster", redis);

        Assert.True(result.ExitCode == ExitCodes.Failure, result.ToString());
        var line = Assert.Single(result.Lines);
        Assert.StartsWith("error: cannot reach the cluster at " + redis, line, StringComparison.Ordinal);
    }
}
