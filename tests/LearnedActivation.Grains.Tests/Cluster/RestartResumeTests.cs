using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Storage;
using LearnedActivation.Grains.Tests.Support;

namespace LearnedActivation.Grains.Tests.Cluster;

/// <summary>
/// The embedded mode's promise: stop the process mid-run and the sweep's state is still there; start the
/// sweep again and it continues where it stopped. Each test runs a silo, stops it while both runs wait
/// before epoch 3 (epochs 1 and 2 checkpointed), then starts a new silo on the same store.
/// </summary>
[Collection(ClusterGroup.Name)]
public sealed class RestartResumeTests : IDisposable
{
    private readonly TempDirectory _root = new();
    private readonly FakeTrainingBackend _backend = new();
    private readonly SweepSpec _spec = TestSilos.Spec("restart", epochs: 4);

    private List<RunKey> Runs => _spec.Runs().Select(r => new RunKey(_spec.Id, r.ConfigName)).ToList();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task SweepStartedAgainAfterTheSiloStoppedContinuesFromTheLastCheckpoint()
    {
        await TrainUntilEpochTwoAndStopAsync();
        await using var second = TestSilos.Build(1, _root.Path, _backend);
        await second.DeployAsync();
        var again = second.Client.GetGrain<ISweepGrain>(_spec.Id);

        await again.StartAsync(_spec);
        var after = await Poll.UntilAsync(() => again.GetStatusAsync(), s => s.Phase == SweepPhase.Finished, "the restarted sweep to finish");

        Assert.Empty(after.MissingRuns);
        foreach (var run in Runs)
        {
            Assert.Equal([(0, null), (2, FakeTrainingBackend.CheckpointText(run, 2))], _backend.Calls(run));
            Assert.Equal([1, 2, 3, 4], _backend.EpochsTrained(run));

            // The resuming execution's own checkpoints; the first execution's were pruned when the run completed.
            var left = await new FileSystemBlobStore(_root.Path).ListAsync(StoreLayout.CheckpointPrefix(run));
            Assert.Equal([3, 4], left.Select(StoreLayout.CheckpointEpoch));
            Assert.Single(left.Select(k => k[..k.LastIndexOf('/')]).Distinct());
        }
    }

    [Fact]
    public async Task StatusOnlySiloReadsTheStoppedSweepAndCanCancelItWithoutTraining()
    {
        await TrainUntilEpochTwoAndStopAsync();
        await using var reader = TestSilos.Build(1, _root.Path, _backend, acceptsRuns: false);
        await reader.DeployAsync();
        var sweep = reader.Client.GetGrain<ISweepGrain>(_spec.Id);

        var before = await sweep.GetStatusAsync();
        Assert.Equal(SweepPhase.Running, before.Phase);
        Assert.All(before.Runs, r =>
        {
            // Running as last recorded, or already queued again by the sweep (the old silo is gone): either way, resumable at epoch 2.
            Assert.Contains(r.Phase, new[] { RunPhase.Running, RunPhase.Queued });
            Assert.Equal(2, r.Epoch);
            Assert.EndsWith("epoch-0002.ckpt", r.LastCheckpointKey, StringComparison.Ordinal);
        });

        await sweep.CancelAsync();

        var after = await sweep.GetStatusAsync();
        Assert.Equal(SweepPhase.Cancelled, after.Phase);
        Assert.All(after.Runs, r => Assert.Equal(RunPhase.Cancelled, r.Phase));
        Assert.All(Runs, run => Assert.Single(_backend.Calls(run)));
    }

    private async Task TrainUntilEpochTwoAndStopAsync()
    {
        var gate = _backend.Hold(_spec.Id, beforeEpoch: 3);
        await using (var first = TestSilos.Build(1, _root.Path, _backend))
        {
            await first.DeployAsync();
            var sweep = first.Client.GetGrain<ISweepGrain>(_spec.Id);
            await sweep.StartAsync(_spec);
            await Poll.UntilAsync(() => Task.FromResult(gate.WaitingCount), n => n == Runs.Count, "both runs to wait at the gate before epoch 3");
            await Poll.UntilAsync(() => sweep.GetStatusAsync(), s => s.Runs.All(r => r.Epoch == 2), "the sweep to record epoch 2 of both runs");
            await first.StopAllSilosAsync();
        }

        gate.Open();
    }
}
