using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LearnedActivation.Model.Networks;

/// <summary>
/// A piecewise-linear function given by two sample points inside each piece: on piece p the value is the line
/// through (Left[p], values[2p]) and (Right[p], values[2p+1]). For a function that is linear on each piece (a
/// relu network between its bends) this is exact, value and gradients. Reproducible: the AVX2 path and the
/// scalar path agree, and sums run in element order.
/// </summary>
internal sealed class PiecewiseLinearInterpolant(LinearPieces pieces) : IInterpolant
{
    public float[] Points { get; } = pieces.SamplePoints();

    public void Forward(ReadOnlySpan<float> values, ReadOnlySpan<float> x, Span<float> output) => Forward(x, values, pieces, output);

    public void Backward(ReadOnlySpan<float> values, ReadOnlySpan<float> x, ReadOnlySpan<float> upstream, Span<float> gradX, Span<float> gradValues)
    {
        var sums = new double[2 * pieces.Count];
        Backward(x, values, upstream, pieces, gradX, sums);
        for (var i = 0; i < sums.Length; i++)
        {
            gradValues[i] = (float)sums[i];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> samples, LinearPieces pieces, Span<float> output)
    {
        var n = 0;
        fixed (float* xs = x, ys = samples, outs = output, left = pieces.Left, inverseWidth = pieces.InverseWidth)
        {
            if (Avx2.IsSupported)
            {
                var scratch = stackalloc int[8];
                for (; n + 8 <= x.Length; n += 8)
                {
                    var xv = Avx.LoadVector256(xs + n);
                    var piece = pieces.Find(xv, xs + n, scratch);
                    var u = (xv - Avx2.GatherVector256(left, piece, 4)) * Avx2.GatherVector256(inverseWidth, piece, 4);
                    var at = Avx2.ShiftLeftLogical(piece, 1);
                    var y0 = Avx2.GatherVector256(ys, at, 4);
                    var y1 = Avx2.GatherVector256(ys + 1, at, 4);
                    Avx.Store(outs + n, y0 + (u * (y1 - y0)));
                }
            }

            for (; n < x.Length; n++)
            {
                var p = pieces.Find(xs[n]);
                var u = (xs[n] - left[p]) * inverseWidth[p];
                var y0 = ys[2 * p];
                outs[n] = y0 + (u * (ys[(2 * p) + 1] - y0));
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> samples, ReadOnlySpan<float> upstream, LinearPieces pieces, Span<float> gradX, Span<double> sums)
    {
        var n = 0;
        fixed (float* xs = x, ys = samples, gs = upstream, dxs = gradX, left = pieces.Left, inverseWidth = pieces.InverseWidth)
        fixed (double* totals = sums)
        {
            if (Avx2.IsSupported)
            {
                var lanes = stackalloc float[16];
                var at = stackalloc int[8];
                var scratch = stackalloc int[8];
                for (; n + 8 <= x.Length; n += 8)
                {
                    var xv = Avx.LoadVector256(xs + n);
                    var piece = pieces.Find(xv, xs + n, scratch);
                    var w = Avx2.GatherVector256(inverseWidth, piece, 4);
                    var u = (xv - Avx2.GatherVector256(left, piece, 4)) * w;
                    var twice = Avx2.ShiftLeftLogical(piece, 1);
                    var y0 = Avx2.GatherVector256(ys, twice, 4);
                    var y1 = Avx2.GatherVector256(ys + 1, twice, 4);
                    var g = Avx.LoadVector256(gs + n);
                    Avx.Store(dxs + n, g * (y1 - y0) * w);

                    // Lane by lane, in element order, as the scalar path does.
                    Avx.Store(lanes, g * (Vector256<float>.One - u));
                    Avx.Store(lanes + 8, g * u);
                    Avx.Store(at, twice);
                    for (var lane = 0; lane < 8; lane++)
                    {
                        totals[at[lane]] += lanes[lane];
                        totals[at[lane] + 1] += lanes[lane + 8];
                    }
                }
            }

            for (; n < x.Length; n++)
            {
                var p = pieces.Find(xs[n]);
                var w = inverseWidth[p];
                var u = (xs[n] - left[p]) * w;
                var g = gs[n];
                dxs[n] = g * (ys[(2 * p) + 1] - ys[2 * p]) * w;
                totals[2 * p] += g * (1 - u);
                totals[(2 * p) + 1] += g * u;
            }
        }
    }
}

/// <summary>
/// The pieces of [low, high] between the bends, with two sample points inside each, and a bucket table for
/// finding a point's piece: a bucket that lies clearly inside one piece names it; one near a bend (a few in
/// a thousand) says "search", and a binary search over the bends decides.
/// </summary>
internal sealed class LinearPieces
{
    private const int Buckets = 8192;
    private const int Search = -1;

    private readonly float[] _bends;
    private readonly int[] _bucketPiece;
    private readonly float _low;
    private readonly float _bucketsPerUnit;

    public LinearPieces(double low, double high, double[] bends)
    {
        _bends = [.. bends.Select(b => (float)b)];
        Count = bends.Length + 1;
        Left = new float[Count];
        Right = new float[Count];
        InverseWidth = new float[Count];
        for (var p = 0; p < Count; p++)
        {
            var start = p == 0 ? low : bends[p - 1];
            var end = p == bends.Length ? high : bends[p];
            Left[p] = (float)(start + ((end - start) / 4));
            Right[p] = (float)(start + (3 * (end - start) / 4));
            InverseWidth[p] = 1 / (Right[p] - Left[p]);
        }

        _low = (float)low;
        _bucketsPerUnit = (float)(Buckets / (high - low));

        // A margin of a tenth of a bucket absorbs float rounding in the lookup's bucket arithmetic.
        var bucketWidth = (high - low) / Buckets;
        var margin = bucketWidth / 10;
        _bucketPiece = new int[Buckets + 1];
        var piece = 0;
        for (var b = 0; b <= Buckets; b++)
        {
            var bucketStart = low + (b * bucketWidth);
            while (piece < bends.Length && bends[piece] < bucketStart - margin)
            {
                piece++;
            }

            var near = piece < bends.Length && bends[piece] <= bucketStart + bucketWidth + margin;
            _bucketPiece[b] = near ? Search : piece;
        }
    }

    public int Count { get; }

    public float[] Left { get; }

    public float[] Right { get; }

    public float[] InverseWidth { get; }

    /// <summary>The points at which the function must be sampled: Left[p], Right[p] interleaved.</summary>
    public float[] SamplePoints()
    {
        var points = new float[2 * Count];
        for (var p = 0; p < Count; p++)
        {
            points[2 * p] = Left[p];
            points[(2 * p) + 1] = Right[p];
        }

        return points;
    }

    /// <summary>The pieces of 8 points at once; the scalar search finishes lanes whose bucket is near a bend.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    /// <param name="x">The 8 points.</param>
    /// <param name="scalars">The same 8 points in memory.</param>
    /// <param name="scratch">8 ints of scratch space (stackalloc in a loop, or in an inlined method, is not free).</param>
    public unsafe Vector256<int> Find(Vector256<float> x, float* scalars, int* scratch)
    {
        fixed (int* table = _bucketPiece)
        {
            // Avx.Max/Min return the second operand for NaN, so NaN lanes get a valid bucket (their value stays NaN).
            var scaled = Avx.Min(Avx.Max((x - Vector256.Create(_low)) * Vector256.Create(_bucketsPerUnit), Vector256<float>.Zero), Vector256.Create((float)Buckets));
            var piece = Avx2.GatherVector256(table, Avx.ConvertToVector256Int32WithTruncation(scaled), 4);
            var search = Avx2.CompareEqual(piece, Vector256.Create(Search));
            if (!Avx.TestZ(search, search))
            {
                Avx.Store(scratch, piece);
                for (var lane = 0; lane < 8; lane++)
                {
                    if (scratch[lane] == Search)
                    {
                        scratch[lane] = Find(scalars[lane]);
                    }
                }

                piece = Avx.LoadVector256(scratch);
            }

            return piece;
        }
    }

    /// <summary>The piece holding <paramref name="x"/>: the number of bends at or below it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Find(float x)
    {
        var bucket = (int)Math.Clamp((x - _low) * _bucketsPerUnit, 0f, Buckets);
        var piece = _bucketPiece[bucket];
        if (piece != Search)
        {
            return piece;
        }

        int below = 0, above = _bends.Length;
        while (below < above)
        {
            var middle = (below + above) >>> 1;
            if (x >= _bends[middle])
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
