using LearnedActivation.Grains.Contracts;
using Microsoft.Extensions.Logging;

namespace LearnedActivation.Grains.Storage;

/// <summary>A checkpoint as loaded for resuming: the epoch it ends and the backend's bytes.</summary>
public sealed record Checkpoint(int Epoch, string Key, byte[] Bytes);

/// <summary>
/// Checkpoint policy on top of the blob store: save every N epochs (and at the last one), keep the two
/// newest, and load the newest readable one, falling back to the previous when the newest is corrupt.
/// Keeping two is what makes that fallback possible; more would only cost disk.
/// </summary>
public sealed class CheckpointStore(IBlobStore store, ILogger<CheckpointStore> logger)
{
    public const int Keep = 2;

    /// <summary>Whether the epoch just ended should be checkpointed under a cadence of <paramref name="every"/>.</summary>
    public static bool IsDue(int epoch, int totalEpochs, int every) => epoch >= totalEpochs || epoch % Math.Max(1, every) == 0;

    /// <summary>Writes the checkpoint, then prunes all but the <see cref="Keep"/> newest; returns its key.</summary>
    public async Task<string> SaveAsync(RunKey run, int epoch, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
    {
        var key = StoreLayout.Checkpoint(run, epoch);
        await store.PutAsync(key, bytes, cancellationToken);
        var all = await ListAsync(run, cancellationToken);
        foreach (var (_, old) in all.Skip(Keep))
        {
            await store.DeleteAsync(old, cancellationToken);
        }

        return key;
    }

    /// <summary>The newest checkpoint that reads back intact, or null when there is none.</summary>
    public async Task<Checkpoint?> LoadLatestAsync(RunKey run, CancellationToken cancellationToken = default)
    {
        foreach (var (epoch, key) in await ListAsync(run, cancellationToken))
        {
            try
            {
                if (await store.GetAsync(key, cancellationToken) is { } bytes)
                {
                    return new Checkpoint(epoch, key, bytes);
                }
            }
            catch (BlobCorruptedException e)
            {
                logger.LogWarning("Run {Run}: checkpoint {Key} is corrupt ({Problem}); trying the previous one", run, key, e.Message);
            }
        }

        return null;
    }

    /// <summary>Checkpoints of the run, newest first.</summary>
    private async Task<List<(int Epoch, string Key)>> ListAsync(RunKey run, CancellationToken cancellationToken)
    {
        var keys = await store.ListAsync(StoreLayout.CheckpointPrefix(run), cancellationToken);
        return keys
            .Select(k => (Epoch: StoreLayout.CheckpointEpoch(k), Key: k))
            .Where(c => c.Epoch is not null)
            .Select(c => (c.Epoch!.Value, c.Key))
            .OrderByDescending(c => c.Item1)
            .ToList();
    }
}
