using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace LearnedActivation.Grains.Execution;

/// <summary>
/// Delivers an execution's reports to its sink one at a time, in order, off the training thread: the
/// training loop only enqueues and never waits for a grain call.
/// </summary>
internal sealed partial class ProgressPump
{
    private const int Attempts = 3;
    private readonly Channel<Func<IRunProgressSink, Task>> _queue = Channel.CreateUnbounded<Func<IRunProgressSink, Task>>(new() { SingleReader = true });
    private readonly IRunProgressSink _sink;
    private readonly ILogger _logger;
    private readonly string _run;
    private volatile bool _abandoned;
    private readonly Task _delivery;

    public ProgressPump(IRunProgressSink sink, string run, ILogger logger)
    {
        _sink = sink;
        _run = run;
        _logger = logger;
        _delivery = Task.Run(DeliverAsync);
    }

    public void Post(Func<IRunProgressSink, Task> report) => _queue.Writer.TryWrite(report);

    /// <summary>Delivers what is queued, then ends.</summary>
    public Task CompleteAsync()
    {
        _queue.Writer.TryComplete();
        return _delivery;
    }

    /// <summary>
    /// Drops what is queued and stops retrying, without waiting: used when the execution was stopped
    /// because its grain or silo is going away, where a report could only wait on the departing grain.
    /// </summary>
    public void Abandon()
    {
        _abandoned = true;
        _queue.Writer.TryComplete();
    }

    private async Task DeliverAsync()
    {
        await foreach (var report in _queue.Reader.ReadAllAsync(CancellationToken.None))
        {
            for (var attempt = 1; !_abandoned; attempt++)
            {
                try
                {
                    await report(_sink);
                    break;
                }
                catch (Exception e) when (attempt < Attempts)
                {
                    LogRetry(e, _run, attempt);
                    await Task.Delay(TimeSpan.FromSeconds(attempt));
                }
                catch (Exception e)
                {
                    // The durable checkpoint is what matters; the grain catches up on the next report or on resume.
                    LogDropped(e, _run, Attempts);
                    break;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {Run}: progress report failed (attempt {Attempt}); retrying")]
    private partial void LogRetry(Exception e, string run, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Run {Run}: progress report dropped after {Attempts} attempts")]
    private partial void LogDropped(Exception e, string run, int attempts);
}
