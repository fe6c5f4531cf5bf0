using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Storage;

namespace LearnedActivation.Grains.Sweeps;

/// <summary>
/// The store as a sweep's status shows it: retrying through an outage now, or failing the sweep grain's
/// last write. The one place the sweep grain touches the store other than through its grain state: should
/// how a store reports its health change, this type is the seam.
/// </summary>
public sealed class SweepStoreHealth(IBlobStore store, TimeProvider time)
{
    private StorageProblem? _writeFailure;
    private Task _probe = Task.CompletedTask;

    /// <summary>
    /// Touches the store in the background (never blocking the grain: through an outage the store retries
    /// for minutes), so that <see cref="IBlobStore.UnreachableSince"/> here reflects an outage even while
    /// the reports that would reveal it are stuck in other grains' writes on other silos.
    /// </summary>
    public void Probe(string key)
    {
        if (_probe.IsCompleted)
        {
            _probe = Task.Run(() => store.ExistsAsync(key));
        }
    }

    /// <summary>The outage the store is retrying through now, else the failure of the last write (until a write succeeds), else null.</summary>
    public StorageProblem? Condition() =>
        store.UnreachableSince is { } since
            ? new StorageProblem(since, "the blob store does not answer; writes are retried until it does")
            : _writeFailure;

    /// <summary>Runs a write of the grain's state; a failure is kept for <see cref="Condition"/> and rethrown, so callers retry.</summary>
    public async Task WriteAsync(Func<Task> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        try
        {
            await write();
            _writeFailure = null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _writeFailure ??= new StorageProblem(time.GetUtcNow(), AssemblyResult.OneLine(e));
            throw;
        }
    }
}
