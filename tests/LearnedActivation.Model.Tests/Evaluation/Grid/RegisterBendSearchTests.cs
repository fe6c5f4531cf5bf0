using System.Runtime.Intrinsics.X86;
using LearnedActivation.Model.Evaluation.Grid;
using static LearnedActivation.Model.Tests.Evaluation.Grid.PieceLookup512Tests;

namespace LearnedActivation.Model.Tests.Evaluation.Grid;

/// <summary>
/// The AVX2 path of the piecewise-linear interpolant finds pieces two ways: by counting bends with register compares
/// (<see cref="LinearPieces.CountBends"/>, up to <see cref="LinearPieces.MaxRegisterBends"/> bends) or through the
/// bucket table. Only the piece lookup differs, so values, dL/dx and dL/d values must be the same bits, on points
/// exactly on the bends and one float step beside them, with partial last vectors. The AVX-512 path is switched
/// off here so that both runs take the AVX2 path on any CPU; without AVX2 there is no vector path to compare.
/// </summary>
public sealed class RegisterBendSearchTests
{
    [SkippableTheory]
    [InlineData(0, 4_099)]
    [InlineData(1, 17)]
    [InlineData(7, 4_099)]
    [InlineData(8, 5_003)]
    [InlineData(9, 5_003)]
    [InlineData(27, 49_152)]
    [InlineData(39, 5_001)]
    [InlineData(55, 5_003)]
    [InlineData(63, 5_003)]
    public void CountingBendsGivesTheSameBitsAsTheBucketTable(int bends, int count)
    {
        Skip.IfNot(Avx2.IsSupported, "no AVX2: both lookups fall back to the same scalar search");
        var (pieces, values, x, upstream) = Case(bends, count, seed: bends + count);
        var buckets = Case(bends, count, seed: bends + count, searchInRegisters: false).Pieces;
        Assert.True(pieces.SearchesInRegisters);
        Assert.False(buckets.SearchesInRegisters);

        var a = Run(new PiecewiseLinearInterpolant(pieces, allowVector512: false), values, x, upstream);
        var b = Run(new PiecewiseLinearInterpolant(buckets, allowVector512: false), values, x, upstream);

        Assert.Equal(b.Y, a.Y);
        Assert.Equal(b.GradX, a.GradX);
        Assert.Equal(b.GradValues, a.GradValues);
    }

    [SkippableFact]
    public void EveryScalarLandsInThePieceThatCountsTheBendsAtOrBelowIt()
    {
        Skip.IfNot(Avx2.IsSupported, "no AVX2: the register search is not used");
        var (pieces, _, x, upstream) = Case(bends: LinearPieces.MaxRegisterBends, count: 3_001, seed: 3);
        Assert.True(pieces.SearchesInRegisters);

        // Values that make the interpolant return its piece's index: y = p at both sample points of piece p.
        var values = new float[2 * pieces.Count];
        for (var p = 0; p < pieces.Count; p++)
        {
            values[2 * p] = p;
            values[(2 * p) + 1] = p;
        }

        var y = Run(new PiecewiseLinearInterpolant(pieces, allowVector512: false), values, x, upstream).Y;

        for (var i = 0; i < x.Length; i++)
        {
            Assert.Equal(pieces.Bends.Count(b => x[i] >= b), y[i]);
        }
    }

    [SkippableTheory]
    [InlineData(0)]
    [InlineData(8)]
    [InlineData(63)]
    public unsafe void InfinitiesAndNaNCountTheBendsNotThePads(int bends)
    {
        Skip.IfNot(Avx2.IsSupported, "no AVX2: the register search is not used");
        var pieces = Case(bends, count: 8, seed: 4).Pieces;
        var x = System.Runtime.Intrinsics.Vector256.Create(float.PositiveInfinity, float.NegativeInfinity, float.NaN, float.MaxValue, -float.MaxValue, 0f, 10f, -10f);

        System.Runtime.Intrinsics.Vector256<int> counts;
        fixed (float* groupEnds = pieces.GroupEnds, columns = pieces.GroupColumns)
        {
            counts = LinearPieces.CountBends(x, groupEnds, columns, pieces.Groups);
        }

        for (var lane = 0; lane < 8; lane++)
        {
            Assert.Equal(pieces.Bends.Count(b => x[lane] >= b), counts[lane]);
        }
    }

    [SkippableTheory]
    [InlineData(5, 17, true)]
    [InlineData(63, 5_003, true)]
    [InlineData(64, 5_003, false)]
    [InlineData(300, 49_155, false)]
    [InlineData(27, 4_099, false)]
    public void BackwardWithTheForwardsPiecesGivesTheSameBitsAsSearchingAgain(int bends, int count, bool searchInRegisters)
    {
        Skip.IfNot(Avx2.IsSupported, "no AVX2: the pieces are not kept");
        var (pieces, values, x, upstream) = Case(bends, count, seed: bends + count, searchInRegisters);
        Assert.Equal(searchInRegisters, pieces.SearchesInRegisters);

        AssertKeptPiecesGiveTheSameBits(pieces, values, x, upstream, allowVector512: false);
    }

    [SkippableFact]
    public void BackwardOnOtherScalarsSearchesTheirPieces()
    {
        Skip.IfNot(Avx2.IsSupported, "no AVX2: the pieces are not kept");
        var (pieces, values, x, upstream) = Case(bends: 40, count: 1_001, seed: 11);
        AssertBackwardOnOtherScalarsSearches(pieces, values, x, upstream, allowVector512: false);
    }

    [Fact]
    public void MoreBendsThanTheRegistersHoldUseTheBucketTable()
    {
        var (pieces, _, _, _) = Case(bends: LinearPieces.MaxRegisterBends + 1, count: 10, seed: 5);

        Assert.False(pieces.SearchesInRegisters);
    }
}
