using LearnedActivation.Grains.Storage;

namespace LearnedActivation.Grains.Tests.Storage;

/// <summary>The assembly's store reads overlap (a study's runs are read many at a time) and keep the runs' order.</summary>
public sealed class ConcurrentReadsTests
{
    [Fact]
    public async Task ResultsComeInTheOrderOfTheKeysWhateverOrderTheReadsFinishIn()
    {
        var keys = Enumerable.Range(0, 40).ToArray();

        // Later keys answer first.
        var results = await ConcurrentReads.InOrderAsync(keys, async (k, token) =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(2 * (40 - k)), token);
            return $"value {k}";
        }, CancellationToken.None);

        Assert.Equal(keys.Select(k => $"value {k}"), results);
    }

    [Fact]
    public async Task ReadsOverlapUpToTheLimitAndNoFurther()
    {
        var inFlight = 0;
        var most = 0;
        var keys = Enumerable.Range(0, 64).ToArray();

        await ConcurrentReads.InOrderAsync(keys, async (k, token) =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref most, now);
            await Task.Delay(TimeSpan.FromMilliseconds(20), token);
            Interlocked.Decrement(ref inFlight);
            return k;
        }, CancellationToken.None, maxInFlight: 8);

        Assert.InRange(most, 4, 8);
    }

    [Fact]
    public async Task AFailedReadFailsTheWhole()
    {
        var keys = Enumerable.Range(0, 10).ToArray();

        var error = await Assert.ThrowsAsync<IOException>(() => ConcurrentReads.InOrderAsync<int, int>(keys, async (k, token) =>
        {
            await Task.Yield();
            return k == 7 ? throw new IOException("blob 7 unreadable") : k;
        }, CancellationToken.None));

        Assert.Equal("blob 7 unreadable", error.Message);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen)
        {
            var previous = Interlocked.CompareExchange(ref target, value, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }
}
