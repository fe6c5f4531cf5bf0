using LearnedActivation.Grains.Contracts;
using Microsoft.Extensions.Logging;

namespace LearnedActivation.Grains.Sweeps;

/// <summary>
/// Assembles a sweep's artifacts once its runs have all ended: marks it Assembling, has the
/// <see cref="ISweepArtifactAssembler"/> build them off the grain scheduler (plotting is CPU work), and
/// records it Finished with their keys, or with the assembler's error. Each step is stored through
/// <c>write</c>; a failed write leaves the phase as it was, for the caller to try again (assembling
/// twice is harmless). <see cref="Schedule"/> runs it as a grain timer of the sweep grain's, and again
/// shortly while the store fails.
/// </summary>
public sealed partial class SweepAssembly(ISweepArtifactAssembler assembler, TimeProvider time, ILogger logger)
{
    /// <summary>How long a failed assembly waits before it is tried again.</summary>
    internal static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(10);

    private readonly TimerSlot _timer = new();

    /// <summary>Timers through <paramref name="timer"/>, so that unit tests can fire them.</summary>
    internal SweepAssembly(ISweepArtifactAssembler assembler, TimeProvider time, ILogger logger, TimerSlot timer)
        : this(assembler, time, logger) => _timer = timer;

    /// <summary>Whether an assembly is scheduled or under way, and not yet finished and stored.</summary>
    public bool Scheduled => _timer.Armed;

    /// <summary>
    /// Schedules <see cref="RunAsync"/> as a timer of <paramref name="grain"/> (replacing one pending), so
    /// that it runs as a turn of its own rather than inside a run's report. When the store fails a write on
    /// the way, it is tried again after <see cref="RetryDelay"/>; once the sweep is Finished and stored,
    /// <paramref name="finished"/> runs.
    /// </summary>
    public void Schedule(
        IGrainBase grain,
        SweepState state,
        string sweepId,
        Func<CancellationToken, Task> write,
        Func<Task> finished,
        Func<Task<IReadOnlyDictionary<string, RunOutcome>>>? records = null)
    {
        ArgumentNullException.ThrowIfNull(write);
        ArgumentNullException.ThrowIfNull(finished);
        Arm(TimeSpan.Zero);

        void Arm(TimeSpan dueTime) => _timer.Arm(grain, AttemptAsync, dueTime, Timeout.InfiniteTimeSpan);

        async Task AttemptAsync(CancellationToken cancellationToken)
        {
            if (!await RunAsync(state, sweepId, () => write(cancellationToken), cancellationToken, records))
            {
                Arm(RetryDelay);
                return;
            }

            _timer.Clear();
            await finished();
        }
    }

    /// <summary>
    /// True when the sweep is Finished and stored; false when the store failed on the way. The assembler gets
    /// each run's curve and artifact keys from <paramref name="records"/> (the runs' own records).
    /// </summary>
    public async Task<bool> RunAsync(
        SweepState state,
        string sweepId,
        Func<Task> write,
        CancellationToken cancellationToken,
        Func<Task<IReadOnlyDictionary<string, RunOutcome>>>? records = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(write);
        var before = state.Phase;
        try
        {
            var known = records is null ? null : await records();
            var input = state.BeginAssembly(sweepId, time.GetUtcNow(), known);
            await write();
            AssemblyResult result;
            try
            {
                result = new AssemblyResult(await Task.Run(() => assembler.AssembleAsync(input, cancellationToken), cancellationToken), null);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogAssemblyFailed(e, sweepId);
                result = new AssemblyResult([], AssemblyResult.OneLine(e));
            }

            state.Assembled(input, result, time.GetUtcNow());
            await write();
            LogFinished(sweepId, input.Runs.Count - input.MissingRuns.Count, input.Runs.Count, input.MissingRuns);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogAssemblyRetry(e, sweepId);
            state.Phase = before;
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {Sweep} finished: {Completed}/{Total} runs completed; missing {Missing}")]
    private partial void LogFinished(string sweep, int completed, int total, IReadOnlyList<string> missing);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sweep {Sweep}: assembling artifacts failed")]
    private partial void LogAssemblyFailed(Exception e, string sweep);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweep {Sweep}: the store failed during assembly; trying again shortly")]
    private partial void LogAssemblyRetry(Exception e, string sweep);
}

/// <summary>What an assembly left: the artifact keys it wrote, or the error the sweep shows.</summary>
public sealed record AssemblyResult(IReadOnlyList<string> Keys, string? Error)
{
    /// <summary>An error as status shows it: type and message on one line.</summary>
    public static string OneLine(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return $"{e.GetType().Name}: {e.Message}".ReplaceLineEndings(" ");
    }
}
