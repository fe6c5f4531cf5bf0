using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LearnedActivation.Model.Evaluation.Grid;

/// <summary>
/// Finds the piece of 8 points at a time (the number of bends at or below each) for any number of bends, with a
/// small table of evenly spaced buckets: per bucket one row of 4 floats, (the bends in buckets before it, then up to
/// <see cref="BendsPerBucket"/> bends of its own, padded with NaN, which no point is at or above, +inf included). A
/// point's piece is its bucket's first entry plus the number of the bucket's own bends at or below it: one row lookup
/// (<see cref="Rows4"/>) and three compares.
/// Exact, whatever the float rounding: a point and the bends get their buckets from the same float operations, a
/// monotone function of the value, so every bend of an earlier bucket is below the point and every bend of a later
/// one above it. The buckets span the first to the last bend (points beyond fall in the end buckets), about 4 per
/// bend (a power of two, at least 16), doubled up to <see cref="MaxBuckets"/> while some bucket holds more than
/// <see cref="BendsPerBucket"/> bends; a bucket still that crowded is marked, and its points are found by a binary
/// search. Building the table costs a few microseconds (the 8,193-entry table over the points' range it replaces,
/// built on every grid call, cost as much as the lookups it served).
/// </summary>
internal sealed class BendBuckets
{
    /// <summary>Bends a bucket's row holds.</summary>
    public const int BendsPerBucket = 3;

    /// <summary>The most buckets the table grows to while some bucket holds more than <see cref="BendsPerBucket"/> bends.</summary>
    public const int MaxBuckets = 8192;

    private const int Crowded = -1; // first entry of a bucket with more bends than its row holds

    private readonly float[] _bends;

    /// <param name="bends">Ascending, finite.</param>
    public BendBuckets(float[] bends)
    {
        _bends = bends;
        var bucketOf = new int[bends.Length];
        var buckets = 1;
        if (bends.Length > BendsPerBucket)
        {
            // The buckets span the bends, not the points' range: the points outside land in the end buckets, and the
            // bends, which cluster where the network's units switch, get the buckets.
            Low = bends[0];
            buckets = (int)Math.Clamp(BitOperations.RoundUpToPowerOf2((uint)(4 * bends.Length)), 16, MaxBuckets);
            while (true)
            {
                PerUnit = (float)(buckets / ((double)bends[^1] - bends[0]));
                Last = buckets - 1;
                for (var i = 0; i < bends.Length; i++)
                {
                    bucketOf[i] = Bucket(bends[i]);
                }

                HasCrowdedBuckets = CrowdedAny(bucketOf);
                if (!HasCrowdedBuckets || buckets == MaxBuckets)
                {
                    break;
                }

                buckets *= 2;
            }
        }

        // One bucket (PerUnit and Last 0) where its row holds all the bends.
        Count = buckets;
        Rows = new float[4 * buckets];
        var bend = 0;
        for (var b = 0; b < buckets; b++)
        {
            var first = bend;
            while (bend < bends.Length && bucketOf[bend] == b)
            {
                bend++;
            }

            var own = bend - first;
            Rows[4 * b] = BitConverter.Int32BitsToSingle(own > BendsPerBucket ? Crowded : first);
            for (var j = 0; j < BendsPerBucket; j++)
            {
                Rows[(4 * b) + 1 + j] = j < own ? bends[first + j] : float.NaN;
            }
        }
    }

    /// <summary>Buckets in the table.</summary>
    public int Count { get; }

    /// <summary>Per bucket: the bends below it (an int's bits; -1 if crowded), then its bends, NaN padded.</summary>
    public float[] Rows { get; }

    /// <summary>Whether some bucket holds more bends than its row (its points take the binary search).</summary>
    public bool HasCrowdedBuckets { get; }

    private float Low { get; }

    private float PerUnit { get; }

    private float Last { get; }

    /// <summary>
    /// The pieces of 8 points; <paramref name="rows"/> is <see cref="Rows"/> pinned, <paramref name="scalars"/> the
    /// same points in memory, <paramref name="offsets"/> room for 8 ints.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe Vector256<int> Pieces(Vector256<float> x, float* rows, float* scalars, int* offsets)
    {
        // Max and Min as Bucket does: maxps gives its second operand (0) for NaN, so NaN lands in bucket 0 (piece 0).
        var scaled = Avx.Min(Avx.Max((x - Vector256.Create(Low)) * Vector256.Create(PerUnit), Vector256<float>.Zero), Vector256.Create(Last));
        Avx.Store(offsets, Avx2.ShiftLeftLogical(Avx.ConvertToVector256Int32WithTruncation(scaled), 2));
        Rows4.Load(rows, offsets, out var first, out var bend0, out var bend1, out var bend2);

        // Compares give -1 where true: subtracting them counts.
        var piece = first.AsInt32()
            - Avx.CompareGreaterThanOrEqual(x, bend0).AsInt32()
            - Avx.CompareGreaterThanOrEqual(x, bend1).AsInt32()
            - Avx.CompareGreaterThanOrEqual(x, bend2).AsInt32();
        var crowded = Avx.MoveMask(first);
        return crowded == 0 ? piece : SearchCrowded(piece, crowded, scalars, offsets);
    }

    /// <summary>A point's bucket, by the float operations <see cref="Pieces"/> performs on each lane.</summary>
    private int Bucket(float value)
    {
        var scaled = (value - Low) * PerUnit;
        scaled = scaled > 0 ? scaled : 0;         // maxps(scaled, 0)
        scaled = scaled < Last ? scaled : Last;   // minps(scaled, last)
        return (int)scaled;
    }

    /// <summary>Whether more than <see cref="BendsPerBucket"/> bends (ascending, so a bucket's are consecutive) share a bucket.</summary>
    private static bool CrowdedAny(int[] bucketOf)
    {
        for (var i = BendsPerBucket; i < bucketOf.Length; i++)
        {
            if (bucketOf[i] == bucketOf[i - BendsPerBucket])
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Lanes whose bucket is crowded (sign bits set in <paramref name="lanes"/>) get a binary search.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private unsafe Vector256<int> SearchCrowded(Vector256<int> piece, int lanes, float* scalars, int* offsets)
    {
        Avx.Store(offsets, piece);
        for (var lane = 0; lane < 8; lane++)
        {
            if ((lanes & (1 << lane)) != 0)
            {
                offsets[lane] = CountAtOrBelow(_bends, scalars[lane]);
            }
        }

        return Avx.LoadVector256(offsets);
    }

    /// <summary>Binary search: the number of <paramref name="bends"/> (ascending) at or below <paramref name="x"/>.</summary>
    public static int CountAtOrBelow(float[] bends, float x)
    {
        int below = 0, above = bends.Length;
        while (below < above)
        {
            var middle = (below + above) >>> 1;
            if (x >= bends[middle])
            {
                below = middle + 1;
            }
            else
            {
                above = middle;
            }
        }

        return below;
    }
}
