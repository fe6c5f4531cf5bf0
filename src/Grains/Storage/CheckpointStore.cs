using LearnedActivation.Grains.Contracts;
using Microsoft.Extensions.Logging;

namespace LearnedActivation.Grains.Storage;

/// <summary>A checkpoint as loaded for resuming: the epoch it ends and the backend's bytes.</summary>
public sealed record Checkpoint(int Epoch, string Key, byte[] Bytes);

/// <summary>
/// Checkpoint policy on top of the blob store. Each execution saves under keys of its own
/// (<see cref="StoreLayout.Checkpoint"/>) every N epochs (and at the last one), and keeps its
/// <see cref="Keep"/> newest: the one its run's record names may lag the newest by an epoch or two, and the
/// one before that is the fallback when it is corrupt. An execution resumes only from the checkpoint the
/// record names (see <see cref="LoadAsync"/>), never from whatever lies newest in the store: a stale
/// execution's checkpoints are never read.
/// </summary>
public sealed class CheckpointStore(IBlobStore store, ILogger<CheckpointStore> logger)
{
    public const int Keep = 3;

    /// <summary>Whether the epoch just ended should be checkpointed under a cadence of <paramref name="every"/>.</summary>
    public static bool IsDue(int epoch, int totalEpochs, int every) => epoch >= totalEpochs || epoch % Math.Max(1, every) == 0;

    /// <summary>
    /// The writer of one execution's checkpoints. Only that execution writes under its keys, so the writer knows
    /// them all and prunes without listing the store: a list per checkpoint cost more than the write itself.
    /// </summary>
    public CheckpointWriter Writer(RunKey run, Guid execution) => new(store, run, execution);

    /// <summary>
    /// The checkpoint <paramref name="recordKey"/> (the one the run's record names) when it reads back intact;
    /// otherwise the newest intact older one of the same execution (written before the named one, so while that
    /// execution still owned the run); null for a fresh start.
    /// </summary>
    public async Task<Checkpoint?> LoadAsync(RunKey run, string? recordKey, CancellationToken cancellationToken = default)
    {
        if (recordKey is null || StoreLayout.CheckpointEpoch(recordKey) is not { } named)
        {
            return null;
        }

        var folder = recordKey[..(recordKey.LastIndexOf('/') + 1)];
        var older = (await ListAsync(folder, cancellationToken)).Where(c => c.Epoch < named && c.Key.LastIndexOf('/') == folder.Length - 1);
        foreach (var (epoch, key) in older.Prepend((named, recordKey)))
        {
            try
            {
                if (await store.GetAsync(key, cancellationToken) is { } bytes)
                {
                    return new Checkpoint(epoch, key, bytes);
                }

                logger.LogWarning("Run {Run}: checkpoint {Key} is missing; trying an older one", run, key);
            }
            catch (BlobCorruptedException e)
            {
                logger.LogWarning("Run {Run}: checkpoint {Key} is corrupt ({Problem}); trying an older one", run, key, e.Message);
            }
        }

        logger.LogWarning("Run {Run}: no intact checkpoint at or before {Key}; training from the start", run, recordKey);
        return null;
    }

    /// <summary>
    /// Once a run has ended: deletes every execution's checkpoints but <paramref name="keptExecution"/>'s and every
    /// execution's staged artifacts (those of lost or stale executions, and the promoted ones). Best effort.
    /// </summary>
    public async Task PruneOtherExecutionsAsync(RunKey run, string? keptCheckpoint, CancellationToken cancellationToken = default)
    {
        var keptFolder = keptCheckpoint is null ? null : keptCheckpoint[..(keptCheckpoint.LastIndexOf('/') + 1)];
        var checkpoints = await store.ListAsync(StoreLayout.CheckpointPrefix(run), cancellationToken);
        var staged = await store.ListAsync(StoreLayout.ExecutionsPrefix(run), cancellationToken);
        foreach (var key in checkpoints.Where(k => keptFolder is null || !k.StartsWith(keptFolder, StringComparison.Ordinal)).Concat(staged))
        {
            await store.DeleteAsync(key, cancellationToken);
        }
    }

    /// <summary>Checkpoints under <paramref name="prefix"/>, newest first.</summary>
    private async Task<List<(int Epoch, string Key)>> ListAsync(string prefix, CancellationToken cancellationToken)
    {
        var keys = await store.ListAsync(prefix, cancellationToken);
        return keys
            .Select(k => (Epoch: StoreLayout.CheckpointEpoch(k), Key: k))
            .Where(c => c.Epoch is not null)
            .Select(c => (c.Epoch!.Value, c.Key))
            .OrderByDescending(c => c.Item1)
            .ToList();
    }
}

/// <summary>
/// Saves one execution's checkpoints (<see cref="CheckpointStore.Writer"/>) and keeps its
/// <see cref="CheckpointStore.Keep"/> newest, deleting older ones as it goes (never another execution's).
/// Not thread-safe: an execution saves from one thread at a time.
/// </summary>
public sealed class CheckpointWriter(IBlobStore store, RunKey run, Guid execution)
{
    // Oldest first; a key leaves only once its delete succeeded, so a failed delete is retried on the next save.
    private readonly List<string> _saved = [];

    /// <summary>Writes the checkpoint of <paramref name="epoch"/>, then deletes this execution's beyond the newest few; returns its key.</summary>
    public async Task<string> SaveAsync(int epoch, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
    {
        var key = StoreLayout.Checkpoint(run, execution, epoch);
        await store.PutAsync(key, bytes, cancellationToken);
        if (!_saved.Contains(key))
        {
            _saved.Add(key);
        }

        while (_saved.Count > CheckpointStore.Keep)
        {
            await store.DeleteAsync(_saved[0], cancellationToken);
            _saved.RemoveAt(0);
        }

        return key;
    }
}
