namespace LearnedActivation.Model.Training;

/// <summary>
/// The order in which an epoch visits the training rows: a Fisher-Yates shuffle driven by SplitMix64 seeded
/// from (seed, epoch). Owning the generator (rather than System.Random or torch's) keeps the order a pure
/// function of its inputs, so a resumed run regenerates exactly the permutation it was interrupted in.
/// Changing this algorithm changes results: bump the checkpoint format version if you do.
/// </summary>
public static class EpochOrder
{
    /// <param name="count">Number of rows.</param>
    /// <param name="seed">The run's seed.</param>
    /// <param name="epoch">1-based epoch number.</param>
    public static int[] Permutation(int count, long seed, int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var order = new int[count];
        for (var i = 0; i < count; i++)
        {
            order[i] = i;
        }

        var state = unchecked(Mix((ulong)seed) ^ ((ulong)epoch * 0x9E3779B97F4A7C15UL));
        for (var i = count - 1; i > 0; i--)
        {
            var j = (int)NextBelow(ref state, (ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }

        return order;
    }

    private static ulong NextBelow(ref ulong state, ulong bound)
    {
        // Rejection sampling: no modulo bias however large the bound.
        var limit = ulong.MaxValue - (ulong.MaxValue % bound);
        ulong value;
        do
        {
            value = Next(ref state);
        }
        while (value >= limit);
        return value % bound;
    }

    private static ulong Next(ref ulong state)
    {
        state = unchecked(state + 0x9E3779B97F4A7C15UL);
        return Mix(state);
    }

    private static ulong Mix(ulong z)
    {
        unchecked
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
