using System.Collections.Concurrent;
using LearnedActivation.Grains.Contracts;
using LearnedActivation.Model.Data;

namespace LearnedActivation.Grains.Training;

/// <summary>
/// Loads and splits each data set once per silo process: the runs of a sweep share their data and seed,
/// and the 27 of them would otherwise parse and split the same file 27 times. A failed load is not
/// cached, so a run started after the file is fixed sees the fix.
/// </summary>
public sealed class SplitDataCache
{
    private readonly ConcurrentDictionary<(DataSpec Data, long Seed), Lazy<Task<SplitData>>> _entries = new();

    public Task<SplitData> GetAsync(DataSpec data, long seed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        var key = (data, seed);
        var entry = _entries.GetOrAdd(key, k => new Lazy<Task<SplitData>>(() => LoadAsync(k.Data, k.Seed)));
        var task = entry.Value;
        if (task.IsFaulted || task.IsCanceled)
        {
            // An earlier load failed: forget it and load afresh for this caller.
            _entries.TryRemove(new KeyValuePair<(DataSpec, long), Lazy<Task<SplitData>>>(key, entry));
            task = _entries.GetOrAdd(key, k => new Lazy<Task<SplitData>>(() => LoadAsync(k.Data, k.Seed))).Value;
        }

        return task.WaitAsync(cancellationToken);
    }

    private static async Task<SplitData> LoadAsync(DataSpec data, long seed)
    {
        var table = await DataSourceFactory.Create(data.File, data.Target).LoadAsync(CancellationToken.None);
        return new SplitData(BenchmarkSplit.Split(table, seed), table.ContentHash());
    }
}

/// <summary>A split data set and the content hash of the table it came from (part of each run's spec).</summary>
public sealed record SplitData(DataSplits Splits, string ContentHash);
