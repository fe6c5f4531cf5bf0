using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LearnedActivation.Grains.Execution;

/// <summary>
/// The silo-local place where training happens: at most <see cref="TrainingSlotsOptions.Slots"/> runs at
/// once, each on a thread of its own. On host shutdown it stops every execution (they keep their last
/// checkpoint and stay resumable) and waits for them to wind down.
/// </summary>
public sealed partial class TrainingWorker(IOptions<TrainingSlotsOptions> options, ILogger<TrainingWorker> logger) : IHostedService, IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.Value.Slots, options.Value.Slots);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Guid, Task> _executions = new();
    private int _training;

    public int Slots => options.Value.Slots;

    /// <summary>Executions holding a slot.</summary>
    public int Training => Volatile.Read(ref _training);

    /// <summary>Fires when the host stops.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>Waits for a free slot; dispose the result to give it back.</summary>
    public async Task<IDisposable> AcquireSlotAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);

        Interlocked.Increment(ref _training);
        return new Slot(this);
    }

    /// <summary>Runs <paramref name="body"/> on a new dedicated background thread and completes with its result.</summary>
    public static Task<T> RunOnDedicatedThread<T>(string name, Func<T> body)
    {
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                result.SetResult(body());
            }
            catch (OperationCanceledException e)
            {
                result.SetCanceled(e.CancellationToken);
            }
            catch (Exception e)
            {
                result.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = name,
        };
        thread.Start();
        return result.Task;
    }

    /// <summary>Lets shutdown wait for an execution until it has ended.</summary>
    public void Track(Guid id, Task execution)
    {
        ArgumentNullException.ThrowIfNull(execution);
        _executions[id] = execution;
        execution.ContinueWith(_ => _executions.TryRemove(id, out var _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogStarted(options.Value.Slots, options.Value.TorchThreadsPerRun);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var running = _executions.Values.ToArray();
        LogStopping(running.Length);
        await _stopping.CancelAsync();
        try
        {
            await Task.WhenAll(running).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogStopTimedOut(_executions.Count);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Each execution logs its own failure; shutdown goes on.
        }
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _slots.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Training worker: {Slots} slots, {Threads} torch thread(s) per run")]
    private partial void LogStarted(int slots, int threads);

    [LoggerMessage(Level = LogLevel.Information, Message = "Training worker stopping {Count} execution(s); they keep their last checkpoint")]
    private partial void LogStopping(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Training worker: {Count} execution(s) still running at the end of shutdown")]
    private partial void LogStopTimedOut(int count);

    private sealed class Slot(TrainingWorker worker) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                Interlocked.Decrement(ref worker._training);
                worker._slots.Release();
            }
        }
    }
}
