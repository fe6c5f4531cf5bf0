using LearnedActivation.Model.Evaluation.Grid;
using LearnedActivation.Model.Tests.Evaluation.Fused;
using LearnedActivation.Model.Tests.Support;

namespace LearnedActivation.Model.Tests.Evaluation.Grid;

/// <summary>
/// The piecewise-linear interpolant's two code paths: the AVX-512 register tables (<see cref="PieceLookup512"/>, up to
/// 128 pieces) and the AVX2 path (bends counted in registers up to 63, else the bucket table). The relu grid tests
/// hold whichever path this machine runs to exact; these hold the two paths to each other for every register-table
/// size, on points exactly on the bends and beside them, with a partial last vector. On CPUs without AVX-512 they report as skipped: there is no second path to compare.
/// </summary>
public sealed class PieceLookup512Tests
{
    [SkippableTheory]
    [InlineData(0, 4_099)]
    [InlineData(9, 4_099)]
    [InlineData(15, 16)]
    [InlineData(16, 5_003)]
    [InlineData(31, 5_003)]
    [InlineData(40, 49_152)]
    [InlineData(63, 5_003)]
    [InlineData(100, 5_001)]
    [InlineData(127, 5_003)]
    public void TheAvx512PathAgreesWithTheAvx2Path(int bends, int count)
    {
        Avx512Required.SkipUnlessAccelerated();
        var (pieces, values, x, upstream) = Case(bends, count, seed: bends + count);
        var wide = new PiecewiseLinearInterpolant(pieces);
        var narrow = new PiecewiseLinearInterpolant(pieces, allowVector512: false);
        Assert.True(wide.UsesVector512);
        Assert.False(narrow.UsesVector512);

        var a = Run(wide, values, x, upstream);
        var b = Run(narrow, values, x, upstream);

        // The same float operations on each scalar, so the same bits. The sums per piece: AVX-512 adds in double, so
        // it matches a double sum of the same terms to float rounding; AVX2 adds in float.
        Assert.Equal(b.Y, a.Y);
        Assert.Equal(b.GradX, a.GradX);
        var reference = DoubleSums(pieces, x, upstream);
        Assert.True(KernelRuns.RelativeError(a.GradValues, reference) < 1e-7, $"AVX-512 value gradients: {KernelRuns.RelativeError(a.GradValues, reference):E2}");
        Assert.True(KernelRuns.RelativeError(b.GradValues, reference) < 1e-5, $"AVX2 value gradients: {KernelRuns.RelativeError(b.GradValues, reference):E2}");
    }

    [SkippableFact]
    public void EveryScalarLandsInThePieceThatCountsTheBendsAtOrBelowIt()
    {
        Avx512Required.SkipUnlessAccelerated();
        var (pieces, _, x, upstream) = Case(bends: 70, count: 3_001, seed: 3);

        // Values that make the interpolant return its piece's index: y = p at both sample points of piece p.
        var values = new float[2 * pieces.Count];
        for (var p = 0; p < pieces.Count; p++)
        {
            values[2 * p] = p;
            values[(2 * p) + 1] = p;
        }

        var y = Run(new PiecewiseLinearInterpolant(pieces), values, x, upstream).Y;

        for (var i = 0; i < x.Length; i++)
        {
            Assert.Equal(pieces.Bends.Count(b => x[i] >= b), y[i]);
        }
    }

    [SkippableFact]
    public void RepeatedRunsAreBitIdentical()
    {
        Avx512Required.SkipUnlessAccelerated();
        var (pieces, values, x, upstream) = Case(bends: 50, count: 10_007, seed: 4);

        var first = Run(new PiecewiseLinearInterpolant(pieces), values, x, upstream);
        var second = Run(new PiecewiseLinearInterpolant(pieces), values, x, upstream);

        Assert.Equal(first.Y, second.Y);
        Assert.Equal(first.GradX, second.GradX);
        Assert.Equal(first.GradValues, second.GradValues);
    }

    [SkippableTheory]
    [InlineData(0, 17)]
    [InlineData(15, 4_099)]
    [InlineData(31, 513)]
    [InlineData(63, 49_155)]
    [InlineData(127, 5_003)]
    public void BackwardWithTheForwardsPiecesGivesTheSameBitsAsSearchingAgain(int bends, int count)
    {
        Avx512Required.SkipUnlessAccelerated();
        var (pieces, values, x, upstream) = Case(bends, count, seed: bends + count);

        AssertKeptPiecesGiveTheSameBits(pieces, values, x, upstream, allowVector512: true);
    }

    [SkippableFact]
    public void BackwardOnOtherScalarsSearchesTheirPieces()
    {
        Avx512Required.SkipUnlessAccelerated();
        var (pieces, values, x, upstream) = Case(bends: 100, count: 1_001, seed: 12);
        AssertBackwardOnOtherScalarsSearches(pieces, values, x, upstream, allowVector512: true);
    }

    /// <summary>
    /// Forward then backward on the same scalars with the pieces kept gives the bits of an interpolant that searches
    /// again, and the kept pieces are released by backward (the AVX2 or the AVX-512 path, as asked).
    /// </summary>
    internal static void AssertKeptPiecesGiveTheSameBits(LinearPieces pieces, float[] values, float[] x, float[] upstream, bool allowVector512)
    {
        var kept = new PiecewiseLinearInterpolant(pieces, allowVector512, keepPieces: true);
        Assert.Equal(allowVector512, kept.UsesVector512);
        var (y, gradX, gradValues) = (new float[x.Length], new float[x.Length], new float[values.Length]);
        kept.Forward(values, x, y);
        Assert.True(kept.HoldsPieces);
        kept.Backward(values, x, upstream, gradX, gradValues);
        Assert.False(kept.HoldsPieces);

        var searching = new PiecewiseLinearInterpolant(pieces, allowVector512);
        var (y2, gradX2, gradValues2) = (new float[x.Length], new float[x.Length], new float[values.Length]);
        searching.Forward(values, x, y2);
        Assert.False(searching.HoldsPieces);
        searching.Backward(values, x, upstream, gradX2, gradValues2);

        Assert.Equal(y2, y);
        Assert.Equal(gradX2, gradX);
        Assert.Equal(gradValues2, gradValues);
    }

    /// <summary>Backward on other scalars than forward's (same length) searches their pieces instead of using the kept ones.</summary>
    internal static void AssertBackwardOnOtherScalarsSearches(LinearPieces pieces, float[] values, float[] x, float[] upstream, bool allowVector512)
    {
        var other = x.Reverse().ToArray(); // same length, other pieces at most positions

        var interpolant = new PiecewiseLinearInterpolant(pieces, allowVector512, keepPieces: true);
        interpolant.Forward(values, x, new float[x.Length]);
        Assert.True(interpolant.HoldsPieces);
        var (gradX, gradValues) = (new float[x.Length], new float[values.Length]);
        interpolant.Backward(values, other, upstream, gradX, gradValues);

        var fresh = new PiecewiseLinearInterpolant(pieces, allowVector512);
        var (expectedX, expectedValues) = (new float[x.Length], new float[values.Length]);
        fresh.Backward(values, other, upstream, expectedX, expectedValues);
        Assert.Equal(expectedX, gradX);
        Assert.Equal(expectedValues, gradValues);
    }

    [Fact]
    public void MorePiecesThanTheRegistersHoldTakeTheAvx2Path()
    {
        var (pieces, values, x, upstream) = Case(bends: PieceLookup512.MaxPieces, count: 1_000, seed: 5);

        var interpolant = new PiecewiseLinearInterpolant(pieces);
        var y = Run(interpolant, values, x, upstream).Y;

        Assert.False(interpolant.UsesVector512);
        Assert.Equal(Run(new PiecewiseLinearInterpolant(pieces, allowVector512: false), values, x, upstream).Y, y);
    }

    /// <summary>
    /// Bends in [-4, 4], values at the sample points, and inputs: a third exactly on bends, a third one float
    /// step beside one, the rest uniform over the range, with a zero and the two ends among them.
    /// </summary>
    internal static (LinearPieces Pieces, float[] Values, float[] X, float[] Upstream) Case(int bends, int count, int seed, bool searchInRegisters = true)
    {
        var random = new Random(seed);
        const double low = -4, high = 4;
        // One bend in each of `bends` equal cells, placed at random within its middle 60 %: distinct and in order.
        var cell = (high - low) / Math.Max(1, bends);
        var cuts = Enumerable.Range(0, bends).Select(k => low + ((k + 0.2 + (0.6 * random.NextDouble())) * cell)).ToArray();
        var pieces = new LinearPieces(low, high, cuts, searchInRegisters);
        var values = Enumerable.Range(0, 2 * pieces.Count).Select(_ => (float)((random.NextDouble() * 4) - 2)).ToArray();
        var x = new float[count];
        for (var i = 0; i < count; i++)
        {
            var bend = bends > 0 ? pieces.Bends[random.Next(bends)] : 0f;
            x[i] = (i % 3) switch
            {
                0 when bends > 0 => bend,
                1 when bends > 0 => random.Next(2) == 0 ? MathF.BitDecrement(bend) : MathF.BitIncrement(bend),
                _ => (float)(low + ((high - low) * random.NextDouble())),
            };
        }

        x[0] = (float)low;
        x[^1] = (float)high;
        x[count / 2] = 0;
        var upstream = Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        return (pieces, values, x, upstream);
    }

    /// <summary>dL/d values as the interpolant defines it (the same float terms per scalar), summed in double.</summary>
    private static float[] DoubleSums(LinearPieces pieces, float[] x, float[] upstream)
    {
        var sums = new double[2 * pieces.Count];
        for (var i = 0; i < x.Length; i++)
        {
            var p = pieces.Bends.Count(b => x[i] >= b);
            var u = (x[i] - pieces.Left[p]) * pieces.InverseWidth[p];
            sums[2 * p] += upstream[i] * (1 - u);
            sums[(2 * p) + 1] += upstream[i] * u;
        }

        return [.. sums.Select(s => (float)s)];
    }

    internal static (float[] Y, float[] GradX, float[] GradValues) Run(PiecewiseLinearInterpolant interpolant, float[] values, float[] x, float[] upstream)
    {
        var y = new float[x.Length];
        var gradX = new float[x.Length];
        var gradValues = new float[values.Length];
        interpolant.Forward(values, x, y);
        interpolant.Backward(values, x, upstream, gradX, gradValues);
        return (y, gradX, gradValues);
    }
}
