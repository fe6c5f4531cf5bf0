using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Storage;
using LearnedActivation.Grains.Sweeps;
using LearnedActivation.Grains.Tests.Support;
using LearnedActivation.Model.Configuration;

namespace LearnedActivation.Grains.Tests.Cluster;

[Collection(ClusterGroup.Name)]
public sealed class SweepClusterTests(ClusterFixture fixture)
{
    private ISweepGrain Sweep(string id) => fixture.Grains.GetGrain<ISweepGrain>(id);

    private ITrainingRunGrain Run(RunKey key) => fixture.Grains.GetGrain<ITrainingRunGrain>(key.ToString());

    /// <summary>A checkpoint of <paramref name="run"/> at <paramref name="epoch"/>, in the folder of whichever execution wrote it.</summary>
    private static void AssertCheckpointOf(RunKey run, int epoch, string? key)
    {
        Assert.NotNull(key);
        Assert.StartsWith(StoreLayout.CheckpointPrefix(run), key, StringComparison.Ordinal);
        Assert.Equal(epoch, StoreLayout.CheckpointEpoch(key));
    }

    [Fact]
    public async Task RunsGoToSilosWithFreeSlotsAndRecordTheirHost()
    {
        // Four runs held in training, two slots per silo: only by filling both silos can all four train.
        var spec = TestSilos.Spec("spread", 2, 1, SizePreset.Small, SizePreset.Medium);
        var gate = fixture.Backend.Hold(spec.Id, beforeEpoch: 2);
        await Sweep(spec.Id).StartAsync(spec);

        await Poll.UntilAsync(() => Task.FromResult(gate.WaitingCount), n => n == 4, "all four runs to train at once");
        var training = await Poll.UntilAsync(() => Sweep(spec.Id).GetStatusAsync(), s => s.Runs.All(r => r.Epoch == 1), "epoch 1 of every run to be recorded");
        var perHost = training.Runs.GroupBy(r => r.HostSilo).ToDictionary(g => g.Key!, g => g.Count());
        Assert.Equal(2, perHost.Count);
        Assert.All(perHost.Values, n => Assert.Equal(2, n));

        gate.Open();
        await Poll.WithinAsync(fixture.Assembler.Assembled(spec.Id), "the spread sweep to be assembled");
        var done = await Sweep(spec.Id).GetStatusAsync();
        Assert.All(done.Runs, r => Assert.Equal(RunPhase.Completed, r.Phase));
    }

    [Fact]
    public async Task StatusAnswersWhileRunsAreTraining()
    {
        var spec = TestSilos.Spec("held", epochs: 3);
        var gate = fixture.Backend.Hold(spec.Id, beforeEpoch: 2);
        await Sweep(spec.Id).StartAsync(spec);
        var runs = spec.Runs().Select(r => new RunKey(spec.Id, r.ConfigName)).ToList();

        // Both runs are inside the backend's training call, blocked before epoch 2.
        await Poll.UntilAsync(() => Task.FromResult(gate.WaitingCount), n => n == runs.Count, "both runs to wait at the gate before epoch 2");
        foreach (var run in runs)
        {
            var status = await Poll.UntilAsync(() => Run(run).GetStatusAsync(), s => s.Epoch == 1, $"{run} to record epoch 1");
            Assert.Equal(RunPhase.Running, status.Phase);
            Assert.Equal(3, status.TotalEpochs);
            AssertCheckpointOf(run, 1, status.LastCheckpointKey);
            Assert.True(gate.IsWaiting(run), $"{run} should still be training while its status is read");
        }

        var sweep = await Sweep(spec.Id).GetStatusAsync();
        Assert.Equal(SweepPhase.Running, sweep.Phase);
        Assert.Equal(2, sweep.Totals.Running);

        gate.Open();
        var done = await Poll.WithinAsync(fixture.Assembler.Assembled(spec.Id), "the held sweep to be assembled after opening the gate");
        Assert.All(done.Runs, r => Assert.Equal(3, r.Status.Epoch));
    }

    [Fact]
    public async Task CoordinatorAssemblesAllRunResultsWhenAllEnded()
    {
        var spec = TestSilos.Spec("assemble", epochs: 2, 1, SizePreset.Small, SizePreset.Large);
        await Sweep(spec.Id).StartAsync(spec);

        var input = await Poll.WithinAsync(fixture.Assembler.Assembled(spec.Id), "the assemble sweep to be assembled");

        Assert.Equal(spec.Runs().Select(r => r.ConfigName), input.Runs.Select(r => r.Definition.ConfigName));
        Assert.Empty(input.MissingRuns);
        Assert.All(input.Runs, r =>
        {
            Assert.True(r.Completed);
            Assert.Equal([1, 2], r.Curve.Select(e => e.Epoch));
            Assert.Equal(0.8, r.Status.Test!.Accuracy);
            Assert.Contains(StoreLayout.RunArtifact(new RunKey(spec.Id, r.Definition.ConfigName), "activation.txt"), r.ArtifactKeys);
        });

        var status = await Poll.UntilAsync(() => Sweep(spec.Id).GetStatusAsync(), s => s.Phase == SweepPhase.Finished, "the assemble sweep to finish");
        var csvKey = StoreLayout.SweepArtifact(spec.Id, LearnedActivation.Model.Reporting.SweepReport.ResultsCsvFile);
        Assert.Contains(csvKey, status.ArtifactKeys);
        var csv = System.Text.Encoding.UTF8.GetString((await fixture.Store.GetAsync(csvKey))!);
        Assert.Equal(1 + 4, csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("tanh_small_large,tanh,small,large,learned,0,completed,2,", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailedRunIsReportedMissingAndResumesFromItsCheckpointWhenTheSweepStartsAgain()
    {
        var spec = TestSilos.Spec("failing", epochs: 4);
        var failing = new RunKey(spec.Id, "relu_small_small");
        var healthy = new RunKey(spec.Id, "tanh_small_small");
        fixture.Backend.FailAfter(failing, epoch: 2);
        await Sweep(spec.Id).StartAsync(spec);

        var first = await Poll.WithinAsync(fixture.Assembler.Assembled(spec.Id), "the failing sweep to be assembled");
        Assert.Equal([failing.ConfigName], first.MissingRuns);
        var failed = await Run(failing).GetStatusAsync();
        Assert.Equal(RunPhase.Failed, failed.Phase);
        Assert.Contains("injected failure after epoch 2", failed.Error, StringComparison.Ordinal);
        AssertCheckpointOf(failing, 2, failed.LastCheckpointKey);
        var status = await Poll.UntilAsync(() => Sweep(spec.Id).GetStatusAsync(), s => s.Phase == SweepPhase.Finished, "the failing sweep to finish");
        Assert.Equal([failing.ConfigName], status.MissingRuns);

        fixture.Backend.Heal(failing);
        await Sweep(spec.Id).StartAsync(spec);
        var second = await Poll.WithinAsync(fixture.Assembler.Assembled(spec.Id, nth: 2), "the failing sweep to be assembled again after resuming");

        Assert.Empty(second.MissingRuns);
        Assert.Equal([(0, null), (2, FakeTrainingBackend.CheckpointText(failing, 2))], fixture.Backend.Calls(failing));
        Assert.Equal([1, 2, 3, 4], fixture.Backend.EpochsTrained(failing));
        Assert.Single(fixture.Backend.Calls(healthy));
        Assert.Equal([1, 2, 3, 4], second.Runs.Single(r => r.Definition.ConfigName == failing.ConfigName).Curve.Select(e => e.Epoch));
    }

    [Fact]
    public async Task CancelStopsRunsCleanlyWithoutFurtherEpochs()
    {
        var spec = TestSilos.Spec("cancelled", epochs: 5, checkpointEvery: 2);
        var gate = fixture.Backend.Hold(spec.Id, beforeEpoch: 4);
        await Sweep(spec.Id).StartAsync(spec);
        var runs = spec.Runs().Select(r => new RunKey(spec.Id, r.ConfigName)).ToList();
        await Poll.UntilAsync(() => Task.FromResult(gate.WaitingCount), n => n == runs.Count, "both runs to wait at the gate before epoch 4");

        await Sweep(spec.Id).CancelAsync();

        var status = await Poll.UntilAsync(() => Sweep(spec.Id).GetStatusAsync(), s => s.Totals.Cancelled == runs.Count, "both runs to end cancelled");
        Assert.Equal(SweepPhase.Cancelled, status.Phase);
        foreach (var run in runs)
        {
            var runStatus = await Run(run).GetStatusAsync();
            Assert.Equal(RunPhase.Cancelled, runStatus.Phase);
            Assert.Equal(3, runStatus.Epoch);

            // Epoch 3 was off the every-2 cadence, so cancelling stored it rather than lose it.
            AssertCheckpointOf(run, 3, runStatus.LastCheckpointKey);
            Assert.True(await fixture.Store.ExistsAsync(runStatus.LastCheckpointKey!));
        }

        gate.Open();
        await Poll.UntilAsync(() => Task.FromResult(gate.WaitingCount), n => n == 0, "no run waiting at the gate");
        Assert.All(runs, run => Assert.Equal([1, 2, 3], fixture.Backend.EpochsTrained(run)));
        Assert.Equal(0, fixture.Assembler.Count(spec.Id));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ResumingRightAfterACancelLosesNoRun(bool endedBeforeTheResume)
    {
        // Both executions hear the cancel. Whether they have ended cancelled when the resume arrives, or end cancelled
        // after it (the resume wins), every run must be resumed from its checkpoint and trained to the end.
        var spec = TestSilos.Spec($"recant-{(endedBeforeTheResume ? "ended" : "ending")}", epochs: 4);
        var gate = fixture.Backend.Hold(spec.Id, beforeEpoch: 3, stopOnCancel: endedBeforeTheResume);
        await Sweep(spec.Id).StartAsync(spec);
        await Poll.UntilAsync(() => Task.FromResult(gate.WaitingCount), n => n == 2, "both runs to wait at the gate before epoch 3");

        await Sweep(spec.Id).CancelAsync();
        if (endedBeforeTheResume)
        {
            await Poll.UntilAsync(() => Sweep(spec.Id).GetStatusAsync(), s => s.Totals.Cancelled == 2, "both runs to end cancelled");
        }
        else
        {
            await Poll.UntilAsync(() => Task.FromResult(gate.HeardCancelCount), n => n == 2, "both executions to hear the cancel while held at the gate");
        }

        await Sweep(spec.Id).StartAsync(spec);
        gate.Open();

        var done = await Poll.WithinAsync(fixture.Assembler.Assembled(spec.Id), "the resumed sweep to be assembled");
        Assert.Empty(done.MissingRuns);
        Assert.All(done.Runs, r => Assert.Equal(RunPhase.Completed, r.Status.Phase));
        Assert.All(done.Runs, r => Assert.Equal([1, 2, 3, 4], r.Curve.Select(e => e.Epoch)));
        foreach (var run in spec.Runs().Select(r => new RunKey(spec.Id, r.ConfigName)))
        {
            Assert.Equal([(0, null), (2, FakeTrainingBackend.CheckpointText(run, 2))], fixture.Backend.Calls(run));
        }
    }

    [Fact]
    public async Task ResumingBeforeTheExecutionsHearOfTheCancelWithdrawsIt()
    {
        // Heartbeats minutes apart, and no epoch report while held: nothing tells the executions of the cancel before the resume.
        using var root = new TempDirectory();
        var backend = new FakeTrainingBackend();
        await using var cluster = TestSilos.Build(1, root.Path, backend, heartbeat: TimeSpan.FromMinutes(10));
        await cluster.DeployAsync();
        var spec = TestSilos.Spec("recant-unheard", epochs: 4);
        var sweep = cluster.Client.GetGrain<ISweepGrain>(spec.Id);
        var gate = backend.Hold(spec.Id, beforeEpoch: 3);
        await sweep.StartAsync(spec);
        await Poll.UntilAsync(() => Task.FromResult(gate.WaitingCount), n => n == 2, "both runs to wait at the gate before epoch 3");

        // Epoch 2's report delivered: its answer must not be one given between the cancel and the resume.
        await Poll.UntilAsync(() => sweep.GetStatusAsync(), s => s.Runs.All(r => r.Epoch == 2), "the sweep to record epoch 2 of both runs");
        await sweep.CancelAsync();
        await sweep.StartAsync(spec);
        gate.Open();

        var done = await Poll.UntilAsync(() => sweep.GetStatusAsync(), s => s.Phase == SweepPhase.Finished, "the resumed sweep to finish");
        Assert.Empty(done.MissingRuns);
        Assert.Equal(0, gate.HeardCancelCount);
        foreach (var run in spec.Runs().Select(r => new RunKey(spec.Id, r.ConfigName)))
        {
            // One execution each, never stopped: the cancel was withdrawn before it was heard.
            Assert.Equal([(0, null)], backend.Calls(run));
            Assert.Equal([1, 2, 3, 4], backend.EpochsTrained(run));
        }
    }

    [Theory]
    [InlineData(0, 64, "maxEpochs: must be positive (got 0)")]
    [InlineData(2, -1, "batchSize: must be positive (got -1)")]
    public async Task BadSpecIsRejectedAndNothingIsStored(int epochs, int batch, string expected)
    {
        var id = $"bad-{epochs}-{batch}";
        var spec = TestSilos.Spec(id) with { Budget = new TrainingBudget(epochs, batch, 1e-3, 1) };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Sweep(id).StartAsync(spec));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal(SweepPhase.Unknown, (await Sweep(id).GetStatusAsync()).Phase);
        Assert.Empty(await fixture.Store.ListAsync(StoreLayout.SweepPrefix(id)));
    }

    [Fact]
    public async Task SameIdWithADifferentSpecIsRejected()
    {
        var spec = TestSilos.Spec("respec", epochs: 1);
        await Sweep(spec.Id).StartAsync(spec);

        var other = spec with { Budget = spec.Budget with { Epochs = 2 } };
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Sweep(spec.Id).StartAsync(other));

        Assert.Contains("already exists with a different spec", error.Message, StringComparison.Ordinal);
    }
}
