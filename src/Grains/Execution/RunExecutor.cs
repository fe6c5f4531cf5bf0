using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Storage;
using LearnedActivation.Grains.Scheduling;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LearnedActivation.Grains.Execution;

/// <summary>
/// Runs one execution in a slot of the <see cref="TrainingWorker"/>: loads the newest intact checkpoint,
/// has the <see cref="ITrainingBackend"/> train on a dedicated thread, stores checkpoints (per the run's
/// cadence, newest three kept, one in flight while the next epoch trains) and final artifacts, and reports
/// every step to the sink. Three ways to end early: the user's cancel (the run ends Cancelled), the silo
/// stopping, and a Stale verdict (another execution owns the run): the last two stop silently, keeping the
/// checkpoint.
/// <para>
/// Fenced: it resumes only from the checkpoint its run's record named when the run was assigned
/// (<see cref="IRunProgressSink.ResumeFrom"/>), writes checkpoints and artifacts only under its own
/// execution id (<see cref="StoreLayout"/>), and asks the record whether it still owns the run right before
/// each of those writes: once superseded it writes nothing more, and whatever it had in flight lands where
/// no reader looks. Its artifacts count once the record has accepted its end and promoted them.
/// </para>
/// </summary>
public sealed partial class RunExecutor(
    TrainingWorker worker,
    ITrainingBackend backend,
    IBlobStore store,
    CheckpointStore checkpoints,
    IOptions<RunSchedulingOptions> scheduling,
    ILogger<RunExecutor> logger) : IRunExecutor
{

    public RunExecution Start(RunWorkItem work, IRunProgressSink sink, IDisposable slot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(slot);

        var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var stop = CancellationTokenSource.CreateLinkedTokenSource(worker.Stopping);
        var completion = Task.Run(() => ExecuteAsync(work, sink, cancel, stop), CancellationToken.None);
        worker.Track(sink.ExecutionId, completion);
        completion.ContinueWith(
            _ =>
            {
                slot.Dispose();
                cancel.Dispose();
                stop.Dispose();
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return new RunExecution(sink.ExecutionId, completion, () => TryCancel(stop));
    }

    private async Task ExecuteAsync(RunWorkItem work, IRunProgressSink sink, CancellationTokenSource cancel, CancellationTokenSource stop)
    {
        var key = work.Key;
        var stale = false;
        void OnVerdict(ReportVerdict verdict)
        {
            if (verdict != ReportVerdict.Accepted)
            {
                LogVerdict(key.ToString(), verdict);
                stale |= verdict == ReportVerdict.Stale;
                TryCancel(verdict == ReportVerdict.Stale ? stop : cancel);
            }
        }

        var pump = new ProgressPump(sink, key.ToString(), logger, OnVerdict);
        using var both = CancellationTokenSource.CreateLinkedTokenSource(cancel.Token, stop.Token);
        using var ended = new CancellationTokenSource();
        var heartbeat = HeartbeatAsync(sink, OnVerdict, ended.Token);
        var observer = new EpochObserver(checkpoints.Writer(key, sink.ExecutionId), work, pump, () => StillOwnsAsync(sink, OnVerdict), both.Token);
        RunEnd? end;
        try
        {
            var resume = await checkpoints.LoadAsync(key, sink.ResumeFrom, both.Token);
            if (resume is not null && resume.Epoch > work.Budget.Epochs)
            {
                throw new InvalidOperationException($"checkpoint {resume.Key} is past the budget of {work.Budget.Epochs} epochs");
            }

            var startEpoch = resume?.Epoch ?? 0;
            observer.Resumed(startEpoch, resume?.Key);
            pump.Post(s => s.StartedAsync(startEpoch, resume?.Key));
            LogStarting(key.ToString(), startEpoch, work.Budget.Epochs);

            var request = new TrainingRequest(work, startEpoch, resume?.Bytes);
            var result = await TrainingWorker.RunOnDedicatedThread($"train {key}", () => backend.Train(request, observer, both.Token));
            await observer.FlushAsync();
            if (!await StillOwnsAsync(sink, OnVerdict))
            {
                // Superseded (or its record out of reach) after training: the artifacts are not this execution's to
                // store. It stops as a stopping silo's would; should it still own the run, the next execution
                // resumes from the last checkpoint and only renders them.
                TryCancel(stop);
                throw new OperationCanceledException(stop.Token);
            }

            var artifacts = new List<string>();
            foreach (var (name, bytes) in result.Artifacts.OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                var artifactKey = StoreLayout.ExecutionArtifact(key, sink.ExecutionId, name);
                await store.PutAsync(artifactKey, bytes, CancellationToken.None);
                artifacts.Add(artifactKey);
            }

            end = new RunEnd(RunPhase.Completed, observer.LastEpoch, observer.LastCheckpointKey, result.Test, artifacts, null);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested || stale)
        {
            // Nothing more is started: a stale execution's writes would not count, and a stopping silo's next
            // execution resumes from the checkpoint its record names, which an unreported one would not be. A
            // checkpoint already in flight is finished, and (stopping, not stale) reported below.
            LogStopped(key.ToString(), observer.LastEpoch);
            end = null;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            await SaveUnsavedAsync(observer, key);
            end = new RunEnd(RunPhase.Cancelled, observer.LastEpoch, observer.LastCheckpointKey, null, [], null);
        }
        catch (Exception e)
        {
            LogFailed(e, key.ToString(), observer.LastEpoch);
            await SaveUnsavedAsync(observer, key);
            end = new RunEnd(RunPhase.Failed, observer.LastEpoch, observer.LastCheckpointKey, null, [], OneLine(e));
        }

        if (end is not null)
        {
            await observer.SettleAsync();
        }
        else if (!await observer.SettleWithinAsync(scheduling.Value.StopGrace))
        {
            // A store or record that does not answer must not hold up a stopping silo; the write, under this
            // execution's own keys, lands or not where nothing reads unless a report names it.
            LogStopGraceSpent(key.ToString());
        }

        await ended.CancelAsync();
        await heartbeat;
        if (end is null)
        {
            if (stale)
            {
                pump.Abandon();
            }
            else
            {
                // The last epoch's checkpoint was stored while the next epoch trained; without its report the record
                // names the one before, and the next execution trains that epoch again.
                await pump.CompleteWithinAsync(scheduling.Value.StopGrace);
            }

            return;
        }

        pump.Post(s => s.EndedAsync(end));
        await pump.CompleteAsync();
    }

    /// <summary>
    /// Asks the run's record now and then whether this execution was cancelled or superseded. A failed ask
    /// is skipped, but an execution that has heard nothing back for the whole lease takes itself for stale:
    /// by then the sweep has given its run to another execution.
    /// </summary>
    private async Task HeartbeatAsync(IRunProgressSink sink, Action<ReportVerdict> onVerdict, CancellationToken ended)
    {
        using var timer = new PeriodicTimer(scheduling.Value.HeartbeatInterval);
        var lastAnswer = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            while (await timer.WaitForNextTickAsync(ended))
            {
                try
                {
                    onVerdict(await sink.CheckAsync().WaitAsync(ended));
                    lastAnswer.Restart();
                }
                catch (Exception e) when (!ended.IsCancellationRequested)
                {
                    // A call Orleans cancelled (its message expired) is a failed ask too; only the execution's end stops the heartbeat.
                    LogHeartbeatFailed(sink.ExecutionId, e.Message);
                    if (lastAnswer.Elapsed > scheduling.Value.ExecutionLease)
                    {
                        onVerdict(ReportVerdict.Stale);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The execution ended.
        }
    }

    private static void TryCancel(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The execution has already ended.
        }
    }

    /// <summary>
    /// The fence: asks the run's record, right before a store write, whether this execution still owns the run.
    /// No answer counts as no: the write waits for the next checkpoint (or is dropped).
    /// </summary>
    private async Task<bool> StillOwnsAsync(IRunProgressSink sink, Action<ReportVerdict> onVerdict)
    {
        ReportVerdict verdict;
        try
        {
            verdict = await sink.ConfirmAsync();
        }
        catch (Exception e)
        {
            // Every failure to answer, a cancelled one included: Orleans cancels a call whose message expired before its
            // grain could be placed (the store out, the grain activating), and that is no answer, not this execution's
            // cancellation (which the training loop checks on its own right after).
            LogFenceUnanswered(sink.ExecutionId, e.Message);
            return false;
        }

        onVerdict(verdict);
        return verdict != ReportVerdict.Stale;
    }

    private async Task SaveUnsavedAsync(EpochObserver observer, RunKey key)
    {
        try
        {
            await observer.SaveUnsavedAsync();
        }
        catch (Exception e)
        {
            LogFailed(e, key.ToString(), observer.LastEpoch);
        }
    }

    private static string OneLine(Exception e) => $"{e.GetType().Name}: {e.Message}".ReplaceLineEndings(" ");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {Run}: its checkpoint in flight did not settle within the stop grace; stopping without it")]
    private partial void LogStopGraceSpent(string run);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {Run} training from epoch {Epoch} of {Total}")]
    private partial void LogStarting(string run, int epoch, int total);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {Run} stopped after epoch {Epoch}; it resumes from its last checkpoint")]
    private partial void LogStopped(string run, int epoch);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Execution {Execution}: heartbeat failed ({Error})")]
    private partial void LogHeartbeatFailed(Guid execution, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Execution {Execution}: its run's record did not confirm it still owns the run ({Error}); nothing written")]
    private partial void LogFenceUnanswered(Guid execution, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {Run}: the run's record answered {Verdict}")]
    private partial void LogVerdict(string run, ReportVerdict verdict);

    [LoggerMessage(Level = LogLevel.Error, Message = "Run {Run} failed after epoch {Epoch}")]
    private partial void LogFailed(Exception e, string run, int epoch);

    /// <summary>
    /// Runs on the training thread and keeps one checkpoint in flight: a due checkpoint is fenced, stored and then
    /// reported off that thread while the next epoch trains, and the epoch after waits for it. Per epoch that takes
    /// the fence's grain call and the store's writes (several round trips, more than a short epoch's compute on a
    /// loaded machine or a remote store) off the training path, and training still never runs more than one epoch
    /// ahead of its last stored checkpoint. Reports keep their order: an epoch's report is queued only after
    /// every earlier one.
    /// </summary>
    private sealed class EpochObserver(
        CheckpointWriter checkpoints,
        RunWorkItem work,
        ProgressPump pump,
        Func<Task<bool>> stillOwns,
        CancellationToken cancellationToken) : ITrainingObserver
    {
        private ReadOnlyMemory<byte> _unsaved;
        private Task _inFlight = Task.CompletedTask;

        public int LastEpoch { get; private set; }

        /// <summary>The newest checkpoint stored; read it after <see cref="FlushAsync"/>.</summary>
        public string? LastCheckpointKey { get; private set; }

        public void Resumed(int epoch, string? checkpointKey)
        {
            LastEpoch = epoch;
            LastCheckpointKey = checkpointKey;
        }

        public void EpochCompleted(EpochReport metrics, ReadOnlyMemory<byte> checkpoint)
        {
            ArgumentNullException.ThrowIfNull(metrics);
            if (metrics.Epoch != LastEpoch + 1)
            {
                throw new InvalidOperationException($"backend reported epoch {metrics.Epoch} after epoch {LastEpoch}");
            }

            // The previous checkpoint is stored (or its failure fails the run, here) before this one is handed over.
            _inFlight.GetAwaiter().GetResult();
            LastEpoch = metrics.Epoch;

            // A copy: the backend may reuse its buffer once this returns.
            var bytes = checkpoint.ToArray();
            if (CheckpointStore.IsDue(metrics.Epoch, work.Budget.Epochs, work.CheckpointEvery))
            {
                _inFlight = Task.Run(() => StoreAndReportAsync(metrics, bytes), CancellationToken.None);
            }
            else
            {
                _unsaved = bytes;
                pump.Post(s => s.EpochAsync(metrics, null));
            }

            cancellationToken.ThrowIfCancellationRequested();
        }

        /// <summary>Waits for the checkpoint in flight; throws what storing it threw.</summary>
        public Task FlushAsync() => _inFlight;

        /// <summary>On an early end, keeps the last finished epoch even when the cadence skipped it.</summary>
        public async Task SaveUnsavedAsync()
        {
            await SettleAsync();
            if (_unsaved.IsEmpty || !await stillOwns())
            {
                return;
            }

            // Reported with the run's end (RunEnd.LastCheckpointKey).
            LastCheckpointKey = await checkpoints.SaveAsync(LastEpoch, _unsaved, CancellationToken.None);
            _unsaved = default;
        }

        /// <summary>As <see cref="SettleAsync"/>, for at most <paramref name="grace"/>; false when the checkpoint is still in flight then.</summary>
        public async Task<bool> SettleWithinAsync(TimeSpan grace)
        {
            var settle = SettleAsync();
            return await Task.WhenAny(settle, Task.Delay(grace)) == settle;
        }

        /// <summary>Waits for the checkpoint in flight, whatever becomes of it: nothing of the execution outlives it.</summary>
        public async Task SettleAsync()
        {
            try
            {
                await _inFlight;
            }
            catch (Exception)
            {
                // Already the run's failure (FlushAsync threw it), or the execution is stopping and writes nothing more.
            }
        }

        private async Task StoreAndReportAsync(EpochReport metrics, byte[] bytes)
        {
            string? key = null;
            if (await stillOwns())
            {
                key = await checkpoints.SaveAsync(metrics.Epoch, bytes, CancellationToken.None);
                LastCheckpointKey = key;
                _unsaved = default;
            }
            else
            {
                _unsaved = bytes;
            }

            pump.Post(s => s.EpochAsync(metrics, key));
        }
    }
}
