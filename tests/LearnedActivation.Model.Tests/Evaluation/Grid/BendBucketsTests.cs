using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using LearnedActivation.Model.Evaluation.Grid;
using static LearnedActivation.Model.Tests.Evaluation.Grid.PieceLookup512Tests;

namespace LearnedActivation.Model.Tests.Evaluation.Grid;

/// <summary>
/// The bucket table of the AVX2 path (<see cref="BendBuckets"/>, for more bends than the registers take): every point
/// must get the number of bends at or below it, as the binary search counts, whatever the rounding of its bucket:
/// points on the bends and one float step beside them, beyond the bends and the range, infinities and NaN, bends
/// clustered so that buckets must be doubled, and bends so close that some bucket stays crowded. And the interpolant
/// on that path must compute exactly the float operations it documents, per scalar and in its summation order.
/// </summary>
public sealed class BendBucketsTests
{
    [SkippableTheory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(64)]
    [InlineData(130)]
    [InlineData(700)]
    public void EveryPointGetsTheNumberOfBendsAtOrBelowIt(int bends)
    {
        Skip.IfNot(Avx2.IsSupported, "no AVX2: the bucket table is not used");
        var pieces = Case(bends, count: 8, seed: bends).Pieces;

        AssertCounts(new BendBuckets(pieces.Bends), pieces.Bends, Points(pieces.Bends, 20_000, seed: bends));
    }

    [SkippableFact]
    public void ClusteredBendsGetMoreBuckets()
    {
        Skip.IfNot(Avx2.IsSupported, "no AVX2: the bucket table is not used");
        // 60 bends spread over [-1, 1], 20 within 0.02 of 0.25: 512 buckets (4 per bend) would crowd the cluster's.
        var random = new Random(11);
        var bends = Enumerable.Range(0, 60).Select(_ => (float)((2 * random.NextDouble()) - 1))
            .Concat(Enumerable.Range(0, 20).Select(_ => (float)(0.25 + (0.02 * random.NextDouble()))))
            .Distinct().Order().ToArray();

        var buckets = new BendBuckets(bends);

        Assert.True(buckets.Count > 512, $"{buckets.Count} buckets");
        Assert.False(buckets.HasCrowdedBuckets);
        AssertCounts(buckets, bends, Points(bends, 20_000, seed: 12));
    }

    [SkippableFact]
    public void BendsTooCloseForAnyBucketFallBackToTheBinarySearch()
    {
        Skip.IfNot(Avx2.IsSupported, "no AVX2: the bucket table is not used");
        // Six bends one float step apart, among others over [-8, 8]: no bucket of the largest table separates them.
        var close = Enumerable.Range(0, 6).Aggregate(new List<float> { 0.5f }, (list, _) => { list.Add(MathF.BitIncrement(list[^1])); return list; });
        var bends = Enumerable.Range(0, 30).Select(k => -8 + (16f * k / 30)).Concat(close).Distinct().Order().ToArray();

        var buckets = new BendBuckets(bends);

        Assert.True(buckets.HasCrowdedBuckets);
        Assert.Equal(BendBuckets.MaxBuckets, buckets.Count);
        AssertCounts(buckets, bends, Points(bends, 20_000, seed: 13));
    }

    [SkippableTheory]
    [InlineData(64, 49_152)]
    [InlineData(64, 5_003)]
    [InlineData(200, 16_389)]
    public void TheInterpolantOnTheBucketPathComputesItsDocumentedOperations(int bends, int count)
    {
        Skip.IfNot(Avx2.IsSupported, "no AVX2: no vector path");
        var (pieces, values, x, upstream) = Case(bends, count, seed: bends + count, searchInRegisters: false);
        Assert.False(pieces.SearchesInRegisters);

        var (y, gradX, gradValues) = Run(new PiecewiseLinearInterpolant(pieces, allowVector512: false), values, x, upstream);

        // Per scalar: its piece by counting, value = y0 + ((x - left) * (1 / width)) * rise, dL/dx = g * rise * (1 / width);
        // dL/d values summed in float per piece and lane (scalar n in lane n % 8), lanes added in order.
        var sums = new float[2 * pieces.Count, 8];
        for (var n = 0; n < count; n++)
        {
            var p = pieces.Bends.Count(b => x[n] >= b);
            float y0 = values[2 * p], rise = values[(2 * p) + 1] - values[2 * p];
            var u = (x[n] - pieces.Left[p]) * pieces.InverseWidth[p];
            Assert.Equal(y0 + (u * rise), y[n]);
            Assert.Equal(upstream[n] * rise * pieces.InverseWidth[p], gradX[n]);
            sums[2 * p, n % 8] += upstream[n] * (1 - u);
            sums[(2 * p) + 1, n % 8] += upstream[n] * u;
        }

        for (var v = 0; v < values.Length; v++)
        {
            var total = 0f;
            for (var lane = 0; lane < 8; lane++)
            {
                total += sums[v, lane];
            }

            Assert.Equal(total, gradValues[v]);
        }
    }

    private static unsafe void AssertCounts(BendBuckets buckets, float[] bends, float[] points)
    {
        var found = new int[8];
        var offsets = stackalloc int[8];
        fixed (float* rows = buckets.Rows, xs = points)
        {
            for (var n = 0; n + 8 <= points.Length; n += 8)
            {
                buckets.Pieces(Avx.LoadVector256(xs + n), rows, xs + n, offsets).CopyTo(found);
                for (var lane = 0; lane < 8; lane++)
                {
                    var x = points[n + lane];
                    Assert.True(bends.Count(b => x >= b) == found[lane], $"x = {x:R}: {found[lane]} bends at or below it, expected {bends.Count(b => x >= b)}");
                }
            }
        }
    }

    /// <summary>On, one float step below and above random bends, uniform over and beyond their span, and the specials.</summary>
    private static float[] Points(float[] bends, int count, int seed)
    {
        var random = new Random(seed);
        float low = bends.Length > 0 ? bends[0] : -1, high = bends.Length > 0 ? bends[^1] : 1;
        var span = Math.Max(high - low, 1e-3f);
        var points = new float[count];
        for (var i = 0; i < count; i++)
        {
            var bend = bends.Length > 0 ? bends[random.Next(bends.Length)] : 0f;
            points[i] = (i % 4) switch
            {
                0 => bend,
                1 => MathF.BitDecrement(bend),
                2 => MathF.BitIncrement(bend),
                _ => low + (span * (float)((3 * random.NextDouble()) - 1)),
            };
        }

        float[] specials = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.MaxValue, -float.MaxValue, 0f, -0f, low - span, high + span];
        specials.CopyTo(points, count / 2);
        return points;
    }
}
