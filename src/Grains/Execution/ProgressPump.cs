using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace LearnedActivation.Grains.Execution;

/// <summary>
/// Delivers an execution's reports to its sink one at a time, in order, off the training thread: the
/// training loop only enqueues and never waits for a grain call. Each report's verdict goes to the
/// execution (which may stop on it).
/// </summary>
internal sealed partial class ProgressPump
{
    // A report whose grain lived on a silo that just died fails until the cluster declares that silo dead
    // (tens of seconds) and the grain re-activates elsewhere; the blob store may be out for a while too:
    // retry well past that. Dropping the final report would leave the run owned by a finished execution.
    private static readonly TimeSpan RetryBudget = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(10);
    private readonly Channel<Func<IRunProgressSink, Task<ReportVerdict>>> _queue = Channel.CreateUnbounded<Func<IRunProgressSink, Task<ReportVerdict>>>(new() { SingleReader = true });
    private readonly IRunProgressSink _sink;
    private readonly Action<ReportVerdict> _onVerdict;
    private readonly ILogger _logger;
    private readonly string _run;
    private volatile bool _abandoned;
    private readonly Task _delivery;

    public ProgressPump(IRunProgressSink sink, string run, ILogger logger, Action<ReportVerdict> onVerdict)
    {
        _sink = sink;
        _onVerdict = onVerdict;
        _run = run;
        _logger = logger;
        _delivery = Task.Run(DeliverAsync);
    }

    public void Post(Func<IRunProgressSink, Task<ReportVerdict>> report) => _queue.Writer.TryWrite(report);

    public void Post(Func<IRunProgressSink, Task> report) => Post(async sink =>
    {
        await report(sink);
        return ReportVerdict.Accepted;
    });

    /// <summary>Delivers what is queued, then ends.</summary>
    public Task CompleteAsync()
    {
        _queue.Writer.TryComplete();
        return _delivery;
    }

    /// <summary>
    /// Delivers what is queued for at most <paramref name="budget"/>, then drops the rest as <see cref="Abandon"/> does:
    /// for an execution stopped with its silo, whose last checkpoint's report is what lets the next execution resume
    /// from it, but whose silo must not wait minutes on a record it can no longer reach.
    /// </summary>
    public async Task CompleteWithinAsync(TimeSpan budget)
    {
        _queue.Writer.TryComplete();
        if (await Task.WhenAny(_delivery, Task.Delay(budget)) != _delivery)
        {
            _abandoned = true;
        }
    }

    /// <summary>
    /// Drops what is queued and stops retrying, without waiting: used when the execution went stale, where a
    /// report could only be refused.
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
            var started = Stopwatch.StartNew();
            for (var attempt = 1; !_abandoned; attempt++)
            {
                try
                {
                    _onVerdict(await report(_sink));
                    break;
                }
                catch (Exception e) when (started.Elapsed < RetryBudget)
                {
                    LogRetry(e, _run, attempt);
                    await Task.Delay(TimeSpan.FromSeconds(Math.Min(MaxDelay.TotalSeconds, attempt)));
                }
                catch (Exception e)
                {
                    // The durable checkpoint is what matters; the grain catches up on the next report or on resume.
                    LogDropped(e, _run, attempt);
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
