using System.Diagnostics;

namespace LearnedActivation.Grains.Tests.Support;

/// <summary>
/// Waits for a condition that becomes true through background work (grain state updated by an
/// execution). Bounded: fails after the timeout with a message naming what was awaited and the last value seen.
/// </summary>
public static class Poll
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"timed out after {limit.TotalSeconds:F0} s waiting for {what}; last seen: {value}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Awaits a task that some other party completes, failing with a message after the timeout.</summary>
    public static async Task<T> WithinAsync<T>(Task<T> task, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        try
        {
            return await task.WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"timed out after {limit.TotalSeconds:F0} s waiting for {what}");
        }
    }
}
