using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LearnedActivation.Model.Evaluation.Grid;

/// <summary>
/// A piecewise-linear function given by two sample points inside each piece: on piece p the value is the line
/// through (Left[p], values[2p]) and (Right[p], values[2p+1]). For a function that is linear on each piece (a
/// relu network between its bends) this is exact, value and gradients. Where AVX-512 is accelerated and there are at
/// most <see cref="PieceLookup512.MaxPieces"/> pieces, <see cref="PieceLookup512"/> computes it with its tables in
/// registers; elsewhere an AVX2 path finds pieces by counting bends in registers (<see cref="LinearPieces.CountBends"/>,
/// up to <see cref="LinearPieces.MaxRegisterBends"/> bends) or through a bucket table. Reproducible: the AVX-512, AVX2 and scalar
/// paths perform the same float operations on each scalar (values and dL/dx agree bit for bit), and sums run in
/// element order. Where backward will follow (the autograd node says so), both paths keep each scalar's piece (and on the AVX-512 path its coordinate in the piece and the two factors of dL/dx) from
/// <see cref="Forward"/> for the next <see cref="Backward"/> on the same scalars, so the search runs once.
/// </summary>
/// <param name="allowVector512">False keeps the AVX2 path even where AVX-512 is accelerated (tests compare the two).</param>
/// <param name="keepPieces">Keep each scalar's piece from <see cref="Forward"/> for <see cref="Backward"/>: for callers
/// that will call backward; without it forward allocates nothing per call.</param>
internal sealed class PiecewiseLinearInterpolant(LinearPieces pieces, bool allowVector512 = true, bool keepPieces = false) : IInterpolant
{
    private const int Lanes = 8;

    private readonly PieceLookup512? _registers = allowVector512 && PieceLookup512.Supports(pieces.Count) ? new PieceLookup512(pieces) : null;

    // What the last Forward kept per scalar until Backward (pooled, so longer than x): on the AVX2 path each scalar's
    // piece, on the AVX-512 path its piece, coordinate and dL/dx's factors; and which scalars they belong to (start and
    // length of that x), so Backward uses them only for the same ones (with the same values: one GridSample's).
    private int[]? _pieces;
    private KeptScalars? _kept;
    private (nint Start, int Length) _keptOf;

    public float[] Points { get; } = pieces.SamplePoints();

    /// <summary>Whether this instance runs the AVX-512 path.</summary>
    public bool UsesVector512 => _registers is not null;

    public void Forward(ReadOnlySpan<float> values, ReadOnlySpan<float> x, Span<float> output)
    {
        ReleasePieces();
        if (keepPieces)
        {
            _keptOf = Address(x);
            if (_registers is not null)
            {
                _kept = new KeptScalars(x.Length);
            }
            else
            {
                _pieces = ArrayPool<int>.Shared.Rent(x.Length);
            }
        }

        if (_registers is not null)
        {
            _registers.Forward(values, x, output, _kept);
            return;
        }

        Forward(x, Rows(values), pieces, output, _pieces);
    }

    public void Backward(ReadOnlySpan<float> values, ReadOnlySpan<float> x, ReadOnlySpan<float> upstream, Span<float> gradX, Span<float> gradValues)
    {
        // What forward kept for these scalars, if it did: the same as searching and computing again would give.
        var same = _keptOf == Address(x);
        if (_registers is not null)
        {
            _registers.Backward(values, x, upstream, gradX, gradValues, same ? _kept : null);
            ReleasePieces();
            return;
        }

        // A row of sums per piece and lane: consecutive scalars often share a piece, and one running sum per piece
        // would make every add wait for the one before. The lanes are added up in order at the end.
        var sums = new float[4 * Lanes * pieces.Count];
        if (_pieces is not null && same)
        {
            Backward(x, Rows(values), upstream, _pieces, gradX, sums);
            ReleasePieces();
        }
        else
        {
            Backward(x, Rows(values), upstream, pieces, gradX, sums);
        }

        for (var p = 0; p < pieces.Count; p++)
        {
            float first = 0, second = 0;
            for (var lane = 0; lane < Lanes; lane++)
            {
                first += sums[4 * ((p * Lanes) + lane)];
                second += sums[(4 * ((p * Lanes) + lane)) + 1];
            }

            gradValues[2 * p] = first;
            gradValues[(2 * p) + 1] = second;
        }
    }

    /// <summary>Whether a <see cref="Forward"/>'s pieces are held for the next <see cref="Backward"/> (tests).</summary>
    internal bool HoldsPieces => _pieces is not null || _kept is not null;

    /// <summary>Returns the held pieces to the pool; <see cref="Backward"/> then searches again.</summary>
    internal void ReleasePieces()
    {
        if (_pieces is { } held)
        {
            _pieces = null;
            ArrayPool<int>.Shared.Return(held);
        }

        _kept?.Release();
        _kept = null;
        _keptOf = default;
    }

    private static unsafe (nint Start, int Length) Address(ReadOnlySpan<float> x) => ((nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(x)), x.Length);

    /// <summary>Per piece the row (y at Left, y at Right minus y at Left, Left, 1 / (Right - Left)).</summary>
    private float[] Rows(ReadOnlySpan<float> values)
    {
        var rows = new float[4 * pieces.Count];
        for (var p = 0; p < pieces.Count; p++)
        {
            rows[4 * p] = values[2 * p];
            rows[(4 * p) + 1] = values[(2 * p) + 1] - values[2 * p];
            rows[(4 * p) + 2] = pieces.Left[p];
            rows[(4 * p) + 3] = pieces.InverseWidth[p];
        }

        return rows;
    }

    // value = y0 + u * rise with u = (x - left) * inverseWidth; the scalar path does the same float operations.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Forward(ReadOnlySpan<float> x, float[] rows, LinearPieces pieces, Span<float> output, int[]? found)
    {
        var n = 0;
        fixed (float* xs = x, table = rows, outs = output)
        fixed (int* kept = found)
        {
            if (Avx2.IsSupported && pieces.SearchesInRegisters)
            {
                var offsets = stackalloc int[8];
                fixed (float* groupEnds = pieces.GroupEnds, columns = pieces.GroupColumns)
                {
                    for (; n + 8 <= x.Length; n += 8)
                    {
                        var xv = Avx.LoadVector256(xs + n);
                        var piece = LinearPieces.CountBends(xv, groupEnds, columns, pieces.Groups);
                        if (kept != null)
                        {
                            Avx.Store(kept + n, piece);
                        }

                        Avx.Store(offsets, Avx2.ShiftLeftLogical(piece, 2));
                        Rows4.Load(table, offsets, out var y0, out var rise, out var left, out var inverseWidth);
                        Avx.Store(outs + n, y0 + (((xv - left) * inverseWidth) * rise));
                    }
                }
            }
            else if (Avx2.IsSupported)
            {
                var offsets = stackalloc int[8];
                var buckets = pieces.Buckets;
                fixed (float* bucketRows = buckets.Rows)
                {
                    for (; n + 8 <= x.Length; n += 8)
                    {
                        var xv = Avx.LoadVector256(xs + n);
                        var piece = buckets.Pieces(xv, bucketRows, xs + n, offsets);
                        if (kept != null)
                        {
                            Avx.Store(kept + n, piece);
                        }

                        Avx.Store(offsets, Avx2.ShiftLeftLogical(piece, 2));
                        Rows4.Load(table, offsets, out var y0, out var rise, out var left, out var inverseWidth);
                        Avx.Store(outs + n, y0 + (((xv - left) * inverseWidth) * rise));
                    }
                }
            }

            for (; n < x.Length; n++)
            {
                var piece = pieces.Find(xs[n]);
                if (kept != null)
                {
                    kept[n] = piece;
                }

                var row = table + (4 * piece);
                outs[n] = row[0] + (((xs[n] - row[2]) * row[3]) * row[1]);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Backward(ReadOnlySpan<float> x, float[] rows, ReadOnlySpan<float> upstream, LinearPieces pieces, Span<float> gradX, Span<float> sums)
    {
        var n = 0;
        fixed (float* xs = x, table = rows, gs = upstream, dxs = gradX, totals = sums)
        {
            if (Avx2.IsSupported && pieces.SearchesInRegisters)
            {
                var offsets = stackalloc int[8];
                var sumOffsets = stackalloc int[8];
                fixed (float* groupEnds = pieces.GroupEnds, columns = pieces.GroupColumns)
                {
                    for (; n + 8 <= x.Length; n += 8)
                    {
                        var xv = Avx.LoadVector256(xs + n);
                        var piece = LinearPieces.CountBends(xv, groupEnds, columns, pieces.Groups);
                        Avx.Store(offsets, Avx2.ShiftLeftLogical(piece, 2));
                        Avx.Store(sumOffsets, Avx2.ShiftLeftLogical(piece, 5) + Vector256.Create(0, 4, 8, 12, 16, 20, 24, 28));
                        Step(xv, n, table, offsets, sumOffsets, gs, dxs, totals);
                    }
                }
            }
            else if (Avx2.IsSupported)
            {
                var offsets = stackalloc int[8];
                var sumOffsets = stackalloc int[8];
                var buckets = pieces.Buckets;
                fixed (float* bucketRows = buckets.Rows)
                {
                    for (; n + 8 <= x.Length; n += 8)
                    {
                        var xv = Avx.LoadVector256(xs + n);
                        var piece = buckets.Pieces(xv, bucketRows, xs + n, offsets);
                        Avx.Store(offsets, Avx2.ShiftLeftLogical(piece, 2));
                        Avx.Store(sumOffsets, Avx2.ShiftLeftLogical(piece, 5) + Vector256.Create(0, 4, 8, 12, 16, 20, 24, 28));
                        Step(xv, n, table, offsets, sumOffsets, gs, dxs, totals);
                    }
                }
            }

            for (; n < x.Length; n++)
            {
                ScalarStep(n, pieces.Find(xs[n]), xs, table, gs, dxs, totals);
            }
        }
    }

    /// <summary>Backward given each scalar's piece (as forward found it): the same operations as the searching overload.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Backward(ReadOnlySpan<float> x, float[] rows, ReadOnlySpan<float> upstream, int[] found, Span<float> gradX, Span<float> sums)
    {
        var n = 0;
        fixed (float* xs = x, table = rows, gs = upstream, dxs = gradX, totals = sums)
        fixed (int* kept = found)
        {
            if (Avx2.IsSupported)
            {
                var offsets = stackalloc int[8];
                var sumOffsets = stackalloc int[8];
                for (; n + 8 <= x.Length; n += 8)
                {
                    var piece = Avx.LoadVector256(kept + n);
                    Avx.Store(offsets, Avx2.ShiftLeftLogical(piece, 2));
                    Avx.Store(sumOffsets, Avx2.ShiftLeftLogical(piece, 5) + Vector256.Create(0, 4, 8, 12, 16, 20, 24, 28));
                    Step(Avx.LoadVector256(xs + n), n, table, offsets, sumOffsets, gs, dxs, totals);
                }
            }

            for (; n < x.Length; n++)
            {
                ScalarStep(n, kept[n], xs, table, gs, dxs, totals);
            }
        }
    }

    /// <summary>Backward for scalar <paramref name="n"/> in <paramref name="piece"/>: the same operations, in the same order, as <see cref="Step"/> does per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void ScalarStep(int n, int piece, float* xs, float* table, float* gs, float* dxs, float* totals)
    {
        var row = table + (4 * piece);
        var u = (xs[n] - row[2]) * row[3];
        var g = gs[n];
        dxs[n] = g * row[1] * row[3];
        var sum = totals + (4 * ((piece * Lanes) + (n % Lanes)));
        sum[0] += g * (1 - u);
        sum[1] += g * u;
    }

    /// <summary>Backward for 8 scalars whose rows and per-lane sum rows are at the given offsets.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Step(Vector256<float> xv, int n, float* table, int* offsets, int* sumOffsets, float* gs, float* dxs, float* totals)
    {
        Rows4.Load(table, offsets, out _, out var rise, out var left, out var inverseWidth);
        var u = (xv - left) * inverseWidth;
        var g = Avx.LoadVector256(gs + n);
        Avx.Store(dxs + n, g * rise * inverseWidth);

        // d value / d y0 = 1 - u and d value / d y1 = u, added back lane by lane in element order.
        Rows4.Add(totals, sumOffsets, g * (Vector256<float>.One - u), g * u, Vector256<float>.Zero, Vector256<float>.Zero);
    }
}

/// <summary>
/// The pieces of [low, high] between the bends, with two sample points inside each, and the two ways the AVX2 path
/// finds a point's piece: counting the bends in registers (<see cref="CountBends"/>, up to
/// <see cref="MaxRegisterBends"/> bends), or, for more, a small bucket table (<see cref="BendBuckets"/>, built on first
/// use). The AVX-512 path (<see cref="PieceLookup512"/>) needs neither.
/// </summary>
internal sealed class LinearPieces
{
    private readonly float[] _bends;
    private BendBuckets? _buckets;

    /// <param name="searchInRegisters">
    /// Where there are at most <see cref="MaxRegisterBends"/> bends, count them with register compares
    /// (<see cref="CountBends"/>) instead of the bucket table (the default); false takes the bucket table whatever
    /// the number of bends (tests compare the two).
    /// </param>
    public LinearPieces(double low, double high, double[] bends, bool searchInRegisters = true)
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

        if (searchInRegisters && bends.Length <= MaxRegisterBends)
        {
            // Groups of 8 bends padded with NaN (no x is at or above it, +inf included), at least one pad in the last group.
            Groups = (bends.Length / 8) + 1;
            GroupEnds = new float[Groups];
            GroupColumns = new float[8 * 8];
            GroupColumns.AsSpan().Fill(float.NaN);
            for (var b = 0; b < _bends.Length; b++)
            {
                GroupColumns[(8 * (b % 8)) + (b / 8)] = _bends[b];
            }

            for (var g = 0; g < Groups; g++)
            {
                GroupEnds[g] = GroupColumns[(8 * 7) + g];
            }
        }
    }

    /// <summary>The most bends <see cref="CountBends"/> takes: 8 groups of 8, the last with room for a NaN pad.</summary>
    public const int MaxRegisterBends = 63;

    /// <summary>Whether points find their pieces by <see cref="CountBends"/> (else through the bucket table).</summary>
    [MemberNotNullWhen(true, nameof(GroupEnds), nameof(GroupColumns))]
    public bool SearchesInRegisters => GroupEnds is not null;

    /// <summary>Groups of 8 bends (the last padded with NaN) for <see cref="CountBends"/>.</summary>
    public int Groups { get; }

    /// <summary>Per group its last bend (NaN for a padded one).</summary>
    public float[]? GroupEnds { get; }

    /// <summary>8 columns of 8: entry g of column j is bend 8g + j (NaN past the last bend).</summary>
    public float[]? GroupColumns { get; }

    public int Count { get; }

    /// <summary>The bends as floats, ascending: piece p holds the points with exactly p of them at or below.</summary>
    public float[] Bends => _bends;

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

    /// <summary>The bucket table for more bends than <see cref="CountBends"/> takes (built on first use).</summary>
    public BendBuckets Buckets => _buckets ??= new BendBuckets(_bends);

    /// <summary>The piece holding <paramref name="x"/>: the number of bends at or below it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Find(float x) => BendBuckets.CountAtOrBelow(_bends, x);

    /// <summary>
    /// For 8 points, the number of bends at or below each (its piece, as <see cref="Find"/> counts): first the
    /// group of 8 bends it falls in (the groups whose last bend is at or below it), then the bends of that group,
    /// fetched per lane by a register permute. Compare-and-count, no branches and no memory table per point.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector256<int> CountBends(Vector256<float> x, float* groupEnds, float* columns, int groups)
    {
        // Compares give -1 where true: subtracting them counts. The last group's end is NaN and never counts.
        var group = Vector256<int>.Zero;
        for (var g = 0; g + 1 < groups; g++)
        {
            group -= Avx.CompareGreaterThanOrEqual(x, Vector256.Create(groupEnds[g])).AsInt32();
        }

        var count = Avx2.ShiftLeftLogical(group, 3);
        count -= Avx.CompareGreaterThanOrEqual(x, Avx2.PermuteVar8x32(Avx.LoadVector256(columns), group)).AsInt32();
        count -= Avx.CompareGreaterThanOrEqual(x, Avx2.PermuteVar8x32(Avx.LoadVector256(columns + 8), group)).AsInt32();
        count -= Avx.CompareGreaterThanOrEqual(x, Avx2.PermuteVar8x32(Avx.LoadVector256(columns + 16), group)).AsInt32();
        count -= Avx.CompareGreaterThanOrEqual(x, Avx2.PermuteVar8x32(Avx.LoadVector256(columns + 24), group)).AsInt32();
        count -= Avx.CompareGreaterThanOrEqual(x, Avx2.PermuteVar8x32(Avx.LoadVector256(columns + 32), group)).AsInt32();
        count -= Avx.CompareGreaterThanOrEqual(x, Avx2.PermuteVar8x32(Avx.LoadVector256(columns + 40), group)).AsInt32();
        count -= Avx.CompareGreaterThanOrEqual(x, Avx2.PermuteVar8x32(Avx.LoadVector256(columns + 48), group)).AsInt32();
        count -= Avx.CompareGreaterThanOrEqual(x, Avx2.PermuteVar8x32(Avx.LoadVector256(columns + 56), group)).AsInt32();
        return count;
    }
}
