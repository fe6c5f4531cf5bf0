using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Execution;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LearnedActivation.Grains.Scheduling;

/// <summary>
/// Brings work to this silo: whenever the <see cref="TrainingWorker"/> has a free slot it asks the active
/// sweeps (oldest first, from the <see cref="ISweepBoardGrain"/>) for a queued run and executes what it
/// gets here. That is what spreads a sweep by capacity: a busy silo asks for nothing, an idle or newly
/// joined one takes the next run. Runs while the silo is active; a silo configured not to train
/// (<see cref="TrainingSlotsOptions.AcceptsRuns"/> false, e.g. the CLI's status-only silo) never asks.
/// </summary>
public sealed partial class WorkPuller(
    TrainingWorker worker,
    IRunExecutor executor,
    IGrainFactory grains,
    ILocalSiloDetails silo,
    IOptions<TrainingSlotsOptions> training,
    IOptions<RunSchedulingOptions> scheduling,
    ILogger<WorkPuller> logger) : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe(nameof(WorkPuller), ServiceLifecycleStage.Active, StartAsync, StopAsync);
    }

    public void Dispose() => _stopping.Dispose();

    private Task StartAsync(CancellationToken cancellationToken)
    {
        if (training.Value.AcceptsRuns)
        {
            // The worker stops before the silo does (hosted services stop in reverse order): a silo on its way
            // out must not claim runs it could only abandon.
            var stopping = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, worker.Stopping);
            _loop = Task.Run(() => PullAsync(stopping.Token), CancellationToken.None).ContinueWith(_ => stopping.Dispose(), TaskScheduler.Default);
        }

        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task PullAsync(CancellationToken stopping)
    {
        var self = new WorkerSilo(silo.SiloAddress, $"{silo.Name}@{silo.SiloAddress.Endpoint}");
        while (!stopping.IsCancellationRequested)
        {
            IDisposable slot;
            try
            {
                slot = await worker.AcquireSlotAsync(stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var claim = await ClaimNextAsync(self, stopping);
            if (claim is not null && stopping.IsCancellationRequested)
            {
                // Claimed as the silo began to stop: give it back at once rather than have it wait for the silo's death.
                slot.Dispose();
                await GiveBackAsync(claim);
                return;
            }

            if (claim is null)
            {
                slot.Dispose();
                await Task.Delay(scheduling.Value.PollInterval, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }

            LogClaimed(claim.Work.Key.ToString(), self.Label);
            var sink = new GrainProgressSink(grains, claim.Work.Key, claim.ExecutionId, claim.ResumeFrom);
            executor.Start(claim.Work, sink, slot, CancellationToken.None);
        }
    }

    private async Task GiveBackAsync(RunClaim claim)
    {
        try
        {
            await grains.GetGrain<ITrainingRunGrain>(claim.Work.Key.ToString()).RequeueAsync(claim.ExecutionId);
        }
        catch (Exception e)
        {
            // The sweep's watch queues it again once this silo has left, or once the claim's lease runs out.
            LogAskFailed(e, $"run {claim.Work.Key} (giving it back)");
        }
    }

    /// <summary>The first queued run of the oldest active sweep that has one; null when none has (or the cluster cannot be reached now).</summary>
    private async Task<RunClaim?> ClaimNextAsync(WorkerSilo self, CancellationToken stopping)
    {
        IReadOnlyList<string> sweeps;
        try
        {
            sweeps = await grains.GetGrain<ISweepBoardGrain>(ISweepBoardGrain.Key).GetActiveAsync();
        }
        catch (Exception e) when (!stopping.IsCancellationRequested)
        {
            LogAskFailed(e, "the sweep board");
            return null;
        }

        foreach (var sweep in sweeps)
        {
            if (stopping.IsCancellationRequested)
            {
                return null;
            }

            try
            {
                if (await grains.GetGrain<ISweepGrain>(sweep).ClaimAsync(self) is { } claim)
                {
                    return claim;
                }
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                // That sweep's grain may be moving off a dead silo, or the store may be out: try the others, and it again next time.
                LogAskFailed(e, $"sweep {sweep}");
            }
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {Run} claimed by {Silo}")]
    private partial void LogClaimed(string run, string silo);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Asking {Whom} for work failed; asking again shortly")]
    private partial void LogAskFailed(Exception e, string whom);
}
