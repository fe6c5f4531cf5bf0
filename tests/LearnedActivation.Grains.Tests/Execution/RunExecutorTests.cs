using System.Text;
using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Execution;
using LearnedActivation.Grains.Scheduling;
using LearnedActivation.Grains.Storage;
using LearnedActivation.Grains.Tests.Support;
using LearnedActivation.Tests;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LearnedActivation.Grains.Tests.Execution;

public sealed class RunExecutorTests : IDisposable
{
    private readonly TempDirectory _root = new();
    private readonly FileSystemBlobStore _store;
    private readonly FakeTrainingBackend _backend = new();
    private readonly TrainingWorker _worker;
    private readonly RunExecutor _executor;

    public RunExecutorTests()
    {
        _store = new FileSystemBlobStore(_root.Path);
        _worker = new TrainingWorker(Options.Create(new TrainingSlotsOptions { Slots = 4 }), NullLogger<TrainingWorker>.Instance);
        var checkpoints = new CheckpointStore(_store, NullLogger<CheckpointStore>.Instance);
        _executor = new RunExecutor(_worker, _backend, _store, checkpoints, Scheduling, NullLogger<RunExecutor>.Instance);
    }

    public void Dispose()
    {
        _worker.Dispose();
        _root.Dispose();
    }

    [Fact]
    public async Task CompletedRunReportsEachEpochInOrderAndStoresCheckpointsAndArtifacts()
    {
        var work = Work("complete", epochs: 5, checkpointEvery: 2);
        var sink = new RecordingSink();

        _executor.Start(work, sink, Slot(), CancellationToken.None);
        var end = await Poll.WithinAsync(sink.Ended, "the run to end");

        Assert.Equal(RunPhase.Completed, end.Phase);
        Assert.Equal(5, end.Epoch);
        Assert.Equal(["started 0", "epoch 1", "epoch 2", "epoch 3", "epoch 4", "epoch 5", "ended Completed"], sink.Events);
        Assert.Equal(
            [(1, null), (2, Ckpt(work, sink, 2)), (3, null), (4, Ckpt(work, sink, 4)), (5, Ckpt(work, sink, 5))],
            sink.Epochs);
        Assert.Equal([Ckpt(work, sink, 2), Ckpt(work, sink, 4), Ckpt(work, sink, 5)], await _store.ListAsync(StoreLayout.CheckpointPrefix(work.Key)));
        Assert.Equal(new TestMetrics(0.8, 0.85), end.Test);

        // Staged under the execution's id: the run's record promotes them once it has accepted this end.
        var activation = StoreLayout.ExecutionArtifact(work.Key, sink.ExecutionId, "activation.txt");
        Assert.Contains(activation, end.ArtifactKeys);
        Assert.Equal("learned activation of complete/tanh_small_small", Encoding.UTF8.GetString((await _store.GetAsync(activation))!));
    }

    [Fact]
    public async Task AnOwnershipCheckThatOrleansCancelsIsNoAnswerAndDoesNotFailTheRun()
    {
        // As when the blob store is out: the run's grain cannot be placed, and Orleans cancels the expired call.
        var work = Work("cancelled-answers", epochs: 3, checkpointEvery: 1);
        var sink = new RecordingSink { AnswerFailure = () => new TaskCanceledException("Message expired before placement could complete") };

        var execution = _executor.Start(work, sink, Slot(), CancellationToken.None);
        await execution.Completion.WaitAsync(TimeSpan.FromSeconds(30));

        // No answer means no write: no checkpoint, no artifacts. Unsure it still owns the run, the execution then stops
        // as a stopping silo's does (no end reported; the next one resumes), where before it ended the run Failed on
        // the first cancelled answer. The epoch reports still queued when it stops are dropped with it, so those
        // delivered are the first ones, in order, none naming a checkpoint.
        var delivered = sink.Epochs.ToArray();
        Assert.Equal(Enumerable.Range(1, delivered.Length), delivered.Select(e => e.Item1));
        Assert.All(delivered, e => Assert.Null(e.Item2));
        Assert.Empty(await _store.ListAsync(StoreLayout.CheckpointPrefix(work.Key)));
        Assert.False(sink.Ended.IsCompleted);
        Assert.DoesNotContain(sink.Events, e => e.StartsWith("ended", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TrainingRunsOnADedicatedThreadNotThePool()
    {
        var backend = new ThreadRecordingBackend();
        var executor = new RunExecutor(_worker, backend, _store, new CheckpointStore(_store, NullLogger<CheckpointStore>.Instance), Scheduling, NullLogger<RunExecutor>.Instance);
        var sink = new RecordingSink();

        executor.Start(Work("thread", epochs: 1), sink, Slot(), CancellationToken.None);
        await Poll.WithinAsync(sink.Ended, "the run to end");

        Assert.False(backend.RanOnPoolThread);
    }

    [Fact]
    public async Task CancelStoresTheLastEpochOffCadenceAndEndsCancelled()
    {
        var work = Work("cancel", epochs: 6, checkpointEvery: 4);
        var gate = _backend.Hold("cancel", beforeEpoch: 4);
        var sink = new RecordingSink();
        using var cancel = new CancellationTokenSource();

        _executor.Start(work, sink, Slot(), cancel.Token);
        await Poll.UntilAsync(() => Task.FromResult(gate.IsWaiting(work.Key)), w => w, "the run to wait before epoch 4");
        await cancel.CancelAsync();
        var end = await Poll.WithinAsync(sink.Ended, "the cancelled run to end");

        Assert.Equal(RunPhase.Cancelled, end.Phase);
        Assert.Equal(3, end.Epoch);
        Assert.Equal(Ckpt(work, sink, 3), end.LastCheckpointKey);
        Assert.Equal("cancel/tanh_small_small|3", Encoding.UTF8.GetString((await _store.GetAsync(Ckpt(work, sink, 3)))!));
        Assert.Equal([1, 2, 3], _backend.EpochsTrained(work.Key));
    }

    [Fact]
    public async Task StopKeepsTheCheckpointAndReportsNoEnd()
    {
        var work = Work("stop", epochs: 4);
        var gate = _backend.Hold("stop", beforeEpoch: 3);
        var sink = new RecordingSink();

        var execution = _executor.Start(work, sink, Slot(), CancellationToken.None);
        await Poll.UntilAsync(() => Task.FromResult(gate.IsWaiting(work.Key)), w => w, "the run to wait before epoch 3");
        execution.Stop();
        await Poll.WithinAsync(execution.Completion.ContinueWith(_ => true, TaskScheduler.Default), "the stopped execution to complete");

        Assert.False(sink.Ended.IsCompleted);
        Assert.Equal(["started 0", "epoch 1", "epoch 2"], sink.Events);
        Assert.True(await _store.ExistsAsync(Ckpt(work, sink, 2)));
    }

    [Fact]
    public async Task AStopWhileACheckpointIsBeingStoredStillReportsIt()
    {
        // Epoch 2's checkpoint is stored while epoch 3 trains; the silo stops meanwhile. Unreported, the record would
        // name epoch 1 and the next execution would train epoch 2 again (a SIGTERMed sweep process did, now and then).
        var (execution, work, sink, store) = await StartWithCheckpoint2InFlightAsync("stopsaving");

        execution.Stop();
        store.Release();
        await Poll.WithinAsync(execution.Completion.ContinueWith(_ => true, TaskScheduler.Default), "the stopped execution to complete");

        Assert.False(sink.Ended.IsCompleted);
        Assert.Equal([(1, Ckpt(work, sink, 1)), (2, Ckpt(work, sink, 2))], sink.Epochs);
        Assert.True(await _store.ExistsAsync(Ckpt(work, sink, 2)));
    }

    [Fact]
    public async Task AStoreThatHangsDoesNotHoldUpAStop()
    {
        // The checkpoint in flight never lands: the stopping execution gives it the grace, then ends without it.
        var (execution, work, sink, store) = await StartWithCheckpoint2InFlightAsync("hung", ShortStopGrace);

        var stopping = System.Diagnostics.Stopwatch.StartNew();
        execution.Stop();
        await Poll.WithinAsync(execution.Completion.ContinueWith(_ => true, TaskScheduler.Default), "the stopped execution to complete");

        Assert.InRange(stopping.Elapsed, ShortStopGrace.Value.StopGrace * 0.8, TimeSpan.FromSeconds(20));
        Assert.False(sink.Ended.IsCompleted);
        Assert.Equal([(1, Ckpt(work, sink, 1))], sink.Epochs);

        // Let the held write land before the test's folder goes.
        store.Release();
        await Poll.UntilAsync(() => _store.ExistsAsync(Ckpt(work, sink, 2)), landed => landed, "the released write to land");
    }

    [Fact]
    public async Task BackendFailureEndsFailedWithAOneLineMessage()
    {
        var work = Work("fail", epochs: 3);
        _backend.FailAfter(work.Key, 1);
        var sink = new RecordingSink();

        _executor.Start(work, sink, Slot(), CancellationToken.None);
        var end = await Poll.WithinAsync(sink.Ended, "the failing run to end");

        Assert.Equal(RunPhase.Failed, end.Phase);
        Assert.Equal("InvalidOperationException: injected failure after epoch 1", end.Error);
        Assert.Equal(Ckpt(work, sink, 1), end.LastCheckpointKey);
    }

    [Fact]
    public async Task ResumesFromTheCheckpointTheRecordNamesFallingBackWhenItIsCorrupt()
    {
        var work = Work("resume", epochs: 4);
        var earlier = new RecordingSink();
        await _store.PutAsync(Ckpt(work, earlier, 1), Encoding.UTF8.GetBytes(FakeTrainingBackend.CheckpointText(work.Key, 1)));
        await _store.PutAsync(Ckpt(work, earlier, 2), Encoding.UTF8.GetBytes(FakeTrainingBackend.CheckpointText(work.Key, 2)));
        await File.WriteAllTextAsync(_store.PathOf(Ckpt(work, earlier, 2)), "torn write");
        var sink = new RecordingSink { ResumeFrom = Ckpt(work, earlier, 2) };

        _executor.Start(work, sink, Slot(), CancellationToken.None);
        var end = await Poll.WithinAsync(sink.Ended, "the resumed run to end");

        Assert.Equal(RunPhase.Completed, end.Phase);
        Assert.Equal([(1, FakeTrainingBackend.CheckpointText(work.Key, 1))], _backend.Calls(work.Key));
        Assert.Equal([2, 3, 4], _backend.EpochsTrained(work.Key));
        Assert.Equal("started 1", sink.Events.First());
    }

    [Fact]
    public async Task ANewerCheckpointOfAStaleExecutionIsNeverResumedFrom()
    {
        var work = Work("fenced", epochs: 4);
        var owner = new RecordingSink();
        var stale = new RecordingSink();
        await _store.PutAsync(Ckpt(work, owner, 1), Encoding.UTF8.GetBytes(FakeTrainingBackend.CheckpointText(work.Key, 1)));
        await _store.PutAsync(Ckpt(work, stale, 3), Encoding.UTF8.GetBytes(FakeTrainingBackend.CheckpointText(work.Key, 3)));
        var sink = new RecordingSink { ResumeFrom = Ckpt(work, owner, 1) };

        _executor.Start(work, sink, Slot(), CancellationToken.None);
        await Poll.WithinAsync(sink.Ended, "the resumed run to end");

        Assert.Equal([(1, FakeTrainingBackend.CheckpointText(work.Key, 1))], _backend.Calls(work.Key));
    }

    [Fact]
    public async Task AnExecutionSupersededMidEpochWritesNoCheckpointAndNoArtifact()
    {
        var work = Work("superseded", epochs: 2);
        var gate = _backend.Hold("superseded", beforeEpoch: 2, stopOnCancel: false);
        var sink = new RecordingSink();
        var execution = _executor.Start(work, sink, Slot(), CancellationToken.None);
        await Poll.UntilAsync(() => Task.FromResult(gate.IsWaiting(work.Key)), w => w, "the run to wait before epoch 2");
        // Epoch 1's checkpoint is stored in the background while epoch 2 trains; its report follows the store.
        await Poll.UntilAsync(() => Task.FromResult(sink.Epochs.Count), n => n == 1, "epoch 1's checkpoint to be stored and reported");
        var before = await _store.ListAsync("");
        Assert.Equal([Ckpt(work, sink, 1)], before);

        // Cut off: the record has given the run to another execution. The held epoch goes on regardless of the
        // heartbeat's stop (as a training thread woken from SIGSTOP would), so only the fence right before the
        // checkpoint write that ends epoch 2 can keep it from writing.
        sink.Verdict = ReportVerdict.Stale;
        gate.Open();
        await Poll.WithinAsync(execution.Completion.ContinueWith(_ => true, TaskScheduler.Default), "the superseded execution to stop");

        Assert.False(sink.Ended.IsCompleted);
        Assert.Equal(before, await _store.ListAsync(""));
        Assert.Empty(await _store.ListAsync(StoreLayout.ExecutionsPrefix(work.Key)));
    }

    [Fact]
    public async Task TheSlotIsGivenBackWhenTheExecutionEnds()
    {
        using var worker = new TrainingWorker(Options.Create(new TrainingSlotsOptions { Slots = 1 }), NullLogger<TrainingWorker>.Instance);
        var executor = new RunExecutor(worker, _backend, _store, new CheckpointStore(_store, NullLogger<CheckpointStore>.Instance), Scheduling, NullLogger<RunExecutor>.Instance);
        var gate = _backend.Hold("slots", beforeEpoch: 1);
        var sink = new RecordingSink();

        executor.Start(Work("slots", epochs: 1), sink, await worker.AcquireSlotAsync(CancellationToken.None), CancellationToken.None);
        await Poll.UntilAsync(() => Task.FromResult(gate.WaitingCount), n => n == 1, "the run to train");
        var next = worker.AcquireSlotAsync(CancellationToken.None);
        Assert.False(next.IsCompleted, "the only slot is taken while the run trains");

        gate.Open();
        await Poll.WithinAsync(sink.Ended, "the run to end");
        (await Poll.WithinAsync(next, "the slot to be given back")).Dispose();
    }

    [Fact]
    public async Task CancelSeenByTheHeartbeatEndsTheRunCancelledMidEpoch()
    {
        var work = Work("asked", epochs: 6, checkpointEvery: 4);
        var gate = _backend.Hold("asked", beforeEpoch: 3);
        var sink = new RecordingSink();

        _executor.Start(work, sink, Slot(), CancellationToken.None);
        await Poll.UntilAsync(() => Task.FromResult(gate.IsWaiting(work.Key)), w => w, "the run to wait before epoch 3");
        sink.Verdict = ReportVerdict.CancelRequested;
        var end = await Poll.WithinAsync(sink.Ended, "the run, held mid-epoch, to end once the record asks it to");

        Assert.Equal(RunPhase.Cancelled, end.Phase);
        Assert.Equal(2, end.Epoch);
        Assert.Equal(Ckpt(work, sink, 2), end.LastCheckpointKey);
        Assert.Equal([1, 2], _backend.EpochsTrained(work.Key));
    }

    [Fact]
    public async Task StaleVerdictStopsTheExecutionWithoutAnEnd()
    {
        var work = Work("stale", epochs: 6);
        var gate = _backend.Hold("stale", beforeEpoch: 3);
        var sink = new RecordingSink();

        var execution = _executor.Start(work, sink, Slot(), CancellationToken.None);
        await Poll.UntilAsync(() => Task.FromResult(gate.IsWaiting(work.Key)), w => w, "the run to wait before epoch 3");
        sink.Verdict = ReportVerdict.Stale;
        await Poll.WithinAsync(execution.Completion.ContinueWith(_ => true, TaskScheduler.Default), "the stale execution to stop");

        Assert.False(sink.Ended.IsCompleted);
        Assert.Equal([1, 2], _backend.EpochsTrained(work.Key));
    }

    /// <summary>A 4-epoch run whose epoch-2 checkpoint is held in the store, started and waiting before epoch 3.</summary>
    private async Task<(RunExecution Execution, RunWorkItem Work, RecordingSink Sink, HeldPuts Store)> StartWithCheckpoint2InFlightAsync(string sweep, IOptions<RunSchedulingOptions>? scheduling = null)
    {
        var store = new HeldPuts(_store);
        var executor = new RunExecutor(_worker, _backend, store, new CheckpointStore(store, NullLogger<CheckpointStore>.Instance), scheduling ?? Scheduling, NullLogger<RunExecutor>.Instance);
        var work = Work(sweep, epochs: 4);
        var gate = _backend.Hold(sweep, beforeEpoch: 3);
        var sink = new RecordingSink();
        store.Hold(Ckpt(work, sink, 2));

        var execution = executor.Start(work, sink, Slot(), CancellationToken.None);
        await Poll.WithinAsync(store.Reached, "epoch 2's checkpoint to be on its way");
        await Poll.UntilAsync(() => Task.FromResult(gate.IsWaiting(work.Key)), w => w, "the run to wait before epoch 3");
        return (execution, work, sink, store);
    }

    // A stop waits up to the grace for the checkpoint in flight. Long here, for a slow CI disk: a test that stops right
    // after a hold then always sees the write land and its report arrive.
    private static IOptions<RunSchedulingOptions> Scheduling { get; } = Options.Create(new RunSchedulingOptions { HeartbeatInterval = TimeSpan.FromMilliseconds(50), StopGrace = TimeSpan.FromSeconds(10) });

    /// <summary>For the store that never answers: the stop is timed against the grace.</summary>
    private static IOptions<RunSchedulingOptions> ShortStopGrace { get; } = Options.Create(new RunSchedulingOptions { HeartbeatInterval = TimeSpan.FromMilliseconds(50), StopGrace = TimeSpan.FromMilliseconds(300) });

    private IDisposable Slot() => _worker.AcquireSlotAsync(CancellationToken.None).GetAwaiter().GetResult();

    private static RunWorkItem Work(string sweep, int epochs, int checkpointEvery = 1, Model.Configuration.SizePreset activation = Model.Configuration.SizePreset.Small) =>
        RunWorkItem.For(
            TestSilos.Spec(sweep, epochs, checkpointEvery),
            new RunDefinition($"tanh_small_{activation.ToString().ToLowerInvariant()}", Model.Configuration.BaseActivation.Tanh, Model.Configuration.SizePreset.Small, activation, 0));

    private static string Ckpt(RunWorkItem work, RecordingSink sink, int epoch) => StoreLayout.Checkpoint(work.Key, sink.ExecutionId, epoch);

    private sealed class ThreadRecordingBackend : ITrainingBackend
    {
        public bool RanOnPoolThread { get; private set; } = true;

        public TrainingResult Train(TrainingRequest request, ITrainingObserver observer, CancellationToken cancellationToken)
        {
            RanOnPoolThread = Thread.CurrentThread.IsThreadPoolThread;
            return new TrainingResult(new TestMetrics(0.5, 0.5), new Dictionary<string, byte[]>());
        }
    }

    /// <summary>A store whose write of one key waits until released.</summary>
    private sealed class HeldPuts(IBlobStore inner) : DelegatingBlobStore(inner)
    {
        private readonly TaskCompletionSource<bool> _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private string? _held;

        public Task<bool> Reached => _reached.Task;

        public void Hold(string key) => _held = key;

        public void Release() => _release.TrySetResult();

        public override async Task PutAsync(string key, Stream content, CancellationToken cancellationToken = default)
        {
            if (key == _held)
            {
                _reached.TrySetResult(true);
                await _release.Task;
            }

            await base.PutAsync(key, content, cancellationToken);
        }
    }
}
