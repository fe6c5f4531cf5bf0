using System.Text.Json;
using LearnedActivation.Client.Cli;
using LearnedActivation.Client.Tests.Support;
using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Storage;

namespace LearnedActivation.Client.Tests;

/// <summary>Three silo processes on a real Redis and Azurite, shared by the cluster tests of one class.</summary>
public sealed class ThreeSiloCluster : IAsyncLifetime
{
    /// <summary>Enough rows and epochs that a run trains for several seconds: time to kill its silo between checkpoints.</summary>
    public const int Rows = 20_000;

    private LocalCluster? _cluster;

    internal LocalCluster Cluster => _cluster ?? throw new InvalidOperationException("the cluster has not started");

    public string DataFile { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        _cluster = await LocalCluster.StartAsync(silos: 3, slotsPerSilo: 1);
        DataFile = CovertypeSample.Write(Path.Combine(_cluster.WorkFolder, "covertype.csv"), Rows);
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}

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

    [Fact(Skip = "Flaky (about 1 run in 3 under CI load): when the killed silo hosted a run grain whose execution lives on a surviving silo, the re-activated grain can stay 'running 30/30' after the execution ended (its end report is never applied). Known bug, issue 5; un-skip once fixed.")]
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

        Assert.True(finished.Runs.All(r => r.Phase == RunPhase.Completed), LocalCluster.Describe(finished));
        Assert.Empty(finished.MissingRuns);
        var resumedOn = Cluster.Silos.Where(s => s != silo).SelectMany(s => SweepLog.Events(s.LogFile, SweepLog.TrainingFrom)).Where(e => e.Run == $"{spec.Id}/{victim.ConfigName}").ToList();
        var resumed = Assert.Single(resumedOn);
        Assert.True(
            resumed.Epoch >= victim.Epoch,
            $"{victim.ConfigName} had checkpointed epoch {victim.Epoch} on silo {silo.Index} before the kill but trained again from epoch {resumed.Epoch}");

        // The CLI reads the same picture from the cluster.
        var status = await LearnactProcess.RunAsync(Cluster.WorkFolder, Timeout, Cluster.ClientEnvironment, "status", spec.Id, "--json");
        Assert.True(status.ExitCode == ExitCodes.Ok, status.ToString());
        using (var json = JsonDocument.Parse(status.StandardOutput))
        {
            Assert.Equal("finished", json.RootElement.GetProperty("phase").GetString());
        }

        await AssertSameWeightsAsUninterruptedAsync(spec, victim.ConfigName);
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
    }

    /// <summary>The same configuration trained without a crash, as another sweep on the same cluster, ends with the same bytes.</summary>
    private async Task AssertSameWeightsAsUninterruptedAsync(SweepSpecFile crashed, string config)
    {
        var activation = config[(config.LastIndexOf('_') + 1)..];
        var baseName = config[..config.IndexOf('_', StringComparison.Ordinal)];
        var reference = crashed with { Id = "reference", Bases = [baseName], ActivationSizes = [activation] };
        reference.Write(Path.Combine(Cluster.WorkFolder, "reference.json"));
        var outFolder = Path.Combine(Cluster.WorkFolder, "reference-figures");

        var run = await LearnactProcess.RunAsync(Cluster.WorkFolder, Timeout, Cluster.ClientEnvironment, "sweep", "--spec", "reference.json", "--out", outFolder);

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.NotEmpty(Directory.EnumerateFiles(outFolder, "*.png"));
        var store = Cluster.Store;
        var expected = await store.GetAsync(StoreLayout.RunArtifact(new RunKey(reference.Id, config), "activation.safetensors"));
        var actual = await store.GetAsync(StoreLayout.RunArtifact(new RunKey(crashed.Id, config), "activation.safetensors"));
        Assert.NotNull(expected);
        Assert.NotNull(actual);
        Assert.True(expected.AsSpan().SequenceEqual(actual), $"{config}: the learned activation after the silo kill and resume differs from an uninterrupted run's");
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
