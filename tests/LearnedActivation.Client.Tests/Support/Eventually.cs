namespace LearnedActivation.Client.Tests.Support;

/// <summary>Awaits a condition on a running process's effects (files in its store), never a fixed time.</summary>
internal static class Eventually
{
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Returns the first non-null <paramref name="probe"/> result. Fails, with the process's output, when the
    /// process exits first (it can no longer get there) or when <paramref name="timeout"/> passes.
    /// </summary>
    public static async Task<T> WaitAsync<T>(Func<T?> probe, string what, LearnactChild process, TimeSpan timeout)
        where T : class
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            if (probe() is { } found)
            {
                return found;
            }

            if (process.HasExited)
            {
                // Even had it got there just before exiting, what the test meant to do to the running process is moot.
                var result = await process.KillAsync();
                throw new Xunit.Sdk.XunitException($"{process.Description} exited before {what} was seen; {result}");
            }

            if (deadline.IsCancellationRequested)
            {
                var killed = await process.KillAsync();
                throw new Xunit.Sdk.XunitException($"waited {timeout.TotalSeconds:0} s for {what}, in vain; {process.Description} was killed; {killed}");
            }

            await Task.Delay(ProbeInterval, CancellationToken.None);
        }
    }
}
