using System.Collections.Concurrent;
using LearnedActivation.Grains.Contracts;
using LearnedActivation.Model.Data;
using Microsoft.Extensions.Options;

namespace LearnedActivation.Grains.Training;

/// <summary>
/// Loads and splits each data set once per silo process: the runs of a sweep share their data and seed,
/// and the 27 of them would otherwise parse and split the same file 27 times. A failed load is not
/// cached, so a run started after the file is fixed sees the fix. Files are read only where
/// <see cref="DataAccessOptions"/> allow, within the configured <see cref="DataLimits"/>.
/// </summary>
public sealed class SplitDataCache
{
    private readonly ConcurrentDictionary<(DataSpec Data, long Seed), Lazy<Task<SplitData>>> _entries = new();
    private readonly DataRoot? _root;
    private readonly DataLimits _limits;

    /// <summary>Unrestricted, default limits: what the CLI's own user may read.</summary>
    public SplitDataCache()
        : this(Options.Create(new DataAccessOptions()), Options.Create(DataLimits.Default))
    {
    }

    public SplitDataCache(IOptions<DataAccessOptions> access, IOptions<DataLimits> limits)
    {
        ArgumentNullException.ThrowIfNull(access);
        ArgumentNullException.ThrowIfNull(limits);
        var options = access.Value;
        _root = !string.IsNullOrWhiteSpace(options.Root) ? DataRoot.Under(options.Root)
            : options.RequireRoot ? null
            : DataRoot.Unrestricted;
        _limits = limits.Value;
    }

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

    /// <summary>The path this silo would open for a spec's <c>data.file</c>; throws <see cref="DataException"/> where it may not read.</summary>
    public string Locate(string file)
    {
        var root = _root ?? throw new DataException(
            $"data.file: this silo reads no local data files (no {DataAccessOptions.Section}:{nameof(DataAccessOptions.Root)} is configured on it)");
        return root.Resolve(file);
    }

    private async Task<SplitData> LoadAsync(DataSpec data, long seed)
    {
        var file = data.File is null ? null : Locate(data.File);
        var table = await DataSourceFactory.Create(file, data.Target, _limits).LoadAsync(CancellationToken.None);
        return new SplitData(BenchmarkSplit.Split(table, seed), table.ContentHash());
    }
}

/// <summary>A split data set and the content hash of the table it came from (part of each run's spec).</summary>
public sealed record SplitData(DataSplits Splits, string ContentHash);
