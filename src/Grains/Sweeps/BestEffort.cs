using Microsoft.Extensions.Logging;

namespace LearnedActivation.Grains.Sweeps;

/// <summary>
/// A call of the sweep grain's that must not fail the request it is part of (taking a sweep off the board,
/// requeueing a claim that could not be stored): its failure is logged, and the watch repairs it later.
/// </summary>
internal static partial class BestEffort
{
    /// <summary>Runs <paramref name="call"/>; any failure but a cancellation is logged and swallowed.</summary>
    public static async Task TryAsync(ILogger logger, string sweepId, Func<Task> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            await call();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogCallFailed(logger, e, sweepId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweep {Sweep}: a call failed; the watch repairs it later")]
    private static partial void LogCallFailed(ILogger logger, Exception e, string sweep);
}
