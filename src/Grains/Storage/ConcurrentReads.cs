namespace LearnedActivation.Grains.Storage;

/// <summary>
/// Reads for many keys with several in flight at once, results in the order of the keys. A blob store answers each
/// read in milliseconds (Azure Blob: tens), and a sweep's assembly reads a summary per run (a study's refresh also
/// its record): one after another, a study of thousands of runs waits minutes on round trips alone.
/// </summary>
internal static class ConcurrentReads
{
    /// <summary>Reads in flight at once: enough to hide round trips, few enough not to crowd the store's connections.</summary>
    public const int MaxInFlight = 16;

    public static async Task<TResult[]> InOrderAsync<TItem, TResult>(
        IReadOnlyList<TItem> items, Func<TItem, CancellationToken, Task<TResult>> read, CancellationToken cancellationToken, int maxInFlight = MaxInFlight)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(read);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxInFlight, 1);
        var results = new TResult[items.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxInFlight, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, items.Count), options, async (i, token) => results[i] = await read(items[i], token));
        return results;
    }
}
