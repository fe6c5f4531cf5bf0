using LearnedActivation.Grains.Storage;
using LearnedActivation.Grains.Sweeps;
using LearnedActivation.Grains.Tests.Support;

namespace LearnedActivation.Grains.Tests.Sweeps;

public sealed class SweepStoreHealthTests
{
    private readonly ManualClock _time = new(DateTimeOffset.UnixEpoch);
    private readonly ProbedStore _store = new();

    [Fact]
    public void AnOutageTheStoreIsRetryingThroughShowsWhileItLasts()
    {
        var health = new SweepStoreHealth(_store, _time);
        Assert.Null(health.Condition());

        _store.UnreachableSince = DateTimeOffset.UnixEpoch.AddMinutes(3);
        Assert.Equal(DateTimeOffset.UnixEpoch.AddMinutes(3), health.Condition()!.Since);
        Assert.Contains("does not answer", health.Condition()!.Error, StringComparison.Ordinal);

        _store.UnreachableSince = null;
        Assert.Null(health.Condition());
    }

    [Fact]
    public async Task AFailedWriteShowsFromItsFirstFailureUntilAWriteSucceeds()
    {
        var health = new SweepStoreHealth(_store, _time);

        await Assert.ThrowsAsync<IOException>(() => health.WriteAsync(() => throw new IOException("disk\nfull")));
        _time.Advance(TimeSpan.FromSeconds(5));
        await Assert.ThrowsAsync<IOException>(() => health.WriteAsync(() => throw new IOException("still full")));

        var problem = health.Condition()!;
        Assert.Equal(DateTimeOffset.UnixEpoch, problem.Since);
        Assert.Equal("IOException: disk full", problem.Error);

        await health.WriteAsync(() => Task.CompletedTask);
        Assert.Null(health.Condition());
    }

    [Fact]
    public async Task AProbeIsNotStartedWhileTheLastOneIsPending()
    {
        var health = new SweepStoreHealth(_store, _time);

        health.Probe("s/state/sweep.json");
        await _store.Asked.Task.WaitAsync(TimeSpan.FromSeconds(30));
        health.Probe("s/state/sweep.json");
        Assert.Equal(1, _store.Probes);

        _store.Answer.SetResult(true);
        await Poll(() => _store.Probes == 2, () => health.Probe("s/state/sweep.json"));
    }

    private static async Task Poll(Func<bool> done, Action act)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, "a second probe once the first answered");
            act();
            await Task.Delay(10);
        }
    }

    /// <summary>A store whose existence checks wait for the test's answer.</summary>
    private sealed class ProbedStore : IBlobStore
    {
        private int _probes;

        public TaskCompletionSource Asked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<bool> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Probes => Volatile.Read(ref _probes);

        public DateTimeOffset? UnreachableSince { get; set; }

        public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _probes);
            Asked.TrySetResult();
            return Answer.Task;
        }

        public Task PutAsync(string key, Stream content, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<VersionedBlob?> GetVersionedAsync(string key, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<string> PutIfAsync(string key, ReadOnlyMemory<byte> content, string? ifMatch, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
