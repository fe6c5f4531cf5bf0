using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Runs;
using LearnedActivation.Grains.Storage;

namespace LearnedActivation.Grains.Sweeps;

/// <summary>
/// A sweep's status read straight from the store, without a silo, for <c>learnact status</c> when no process
/// runs the sweep: what its grain answers right after activation (its stored state and run statuses, the runs
/// it is unsure of taken from their own records, as <see cref="AssignmentWatch.CatchUpAsync"/> does), and
/// nothing is written. Starting a silo to ask the grain costs seconds; this costs the reads.
/// </summary>
public static class SweepStoreView
{
    /// <returns>Null when the store holds no sweep <paramref name="sweepId"/>.</returns>
    public static async Task<SweepStatus?> ReadStatusAsync(IBlobStore store, string sweepId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var state = await BlobGrainStorage.ReadStoredAsync<SweepState>(store, StoreLayout.SweepState(sweepId), cancellationToken);
        if (state is null)
        {
            return null;
        }

        var runs = await BlobGrainStorage.ReadStoredAsync<SweepRuns>(store, StoreLayout.SweepState(sweepId, StoreLayout.SweepRunsStateName), cancellationToken);
        state.AdoptRuns(runs?.Runs ?? []);
        var records = await Task.WhenAll(state.Uncertain().Select(name =>
            BlobGrainStorage.ReadStoredAsync<RunState>(store, StoreLayout.RunState(new RunKey(sweepId, name)), cancellationToken)));
        foreach (var status in records.Select(r => r?.Status).OfType<RunStatus>())
        {
            state.Observed(status);
        }

        return state.ToStatus(sweepId, now);
    }
}
