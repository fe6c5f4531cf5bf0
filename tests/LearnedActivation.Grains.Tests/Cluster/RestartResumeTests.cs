using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Storage;
using LearnedActivation.Grains.Tests.Support;

namespace LearnedActivation.Grains.Tests.Cluster;

/// <summary>The embedded mode's promise: stop the process mid-run, start the sweep again, and it continues where it stopped.</summary>
[Collection(ClusterGroup.Name)]
public sealed class RestartResumeTests
{
    [Fact]
    public async Task SweepStartedAgainAfterTheSiloStoppedContinuesFromTheLastCheckpoint()
    {
        using var root = new TempDirectory();
        var backend = new FakeTrainingBackend();
        var spec = TestSilos.Spec("restart", epochs: 4);
        var runs = spec.Runs().Select(r => new RunKey(spec.Id, r.ConfigName)).ToList();
        var gate = backend.Hold(spec.Id, beforeEpoch: 3);

        await using (var first = TestSilos.Build(1, root.Path, backend))
        {
            await first.DeployAsync();
            var sweep = first.Client.GetGrain<ISweepGrain>(spec.Id);
            await sweep.StartAsync(spec);
            await Poll.UntilAsync(() => Task.FromResult(gate.WaitingCount), n => n == runs.Count, "both runs to wait at the gate before epoch 3");
            await Poll.UntilAsync(() => sweep.GetStatusAsync(), s => s.Runs.All(r => r.Epoch == 2), "the sweep to record epoch 2 of both runs");
            await first.StopAllSilosAsync();
        }

        gate.Open();
        await using var second = TestSilos.Build(1, root.Path, backend);
        await second.DeployAsync();
        var again = second.Client.GetGrain<ISweepGrain>(spec.Id);

        // State outlived the silo: the new process sees the interrupted runs where they stopped.
        var before = await again.GetStatusAsync();
        Assert.Equal(SweepPhase.Running, before.Phase);
        Assert.All(before.Runs, r =>
        {
            Assert.Equal(RunPhase.Running, r.Phase);
            Assert.Equal(2, r.Epoch);
        });

        await again.StartAsync(spec);
        var after = await Poll.UntilAsync(() => again.GetStatusAsync(), s => s.Phase == SweepPhase.Finished, "the restarted sweep to finish");

        Assert.Empty(after.MissingRuns);
        foreach (var run in runs)
        {
            Assert.Equal([(0, null), (2, FakeTrainingBackend.CheckpointText(run, 2))], backend.Calls(run));
            Assert.Equal([1, 2, 3, 4], backend.EpochsTrained(run));
            Assert.Equal(
                [StoreLayout.Checkpoint(run, 3), StoreLayout.Checkpoint(run, 4)],
                await new FileSystemBlobStore(root.Path).ListAsync(StoreLayout.CheckpointPrefix(run)));
        }
    }
}
