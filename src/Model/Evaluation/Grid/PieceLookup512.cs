using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LearnedActivation.Model.Evaluation.Grid;

/// <summary>
/// The AVX-512 path of <see cref="PiecewiseLinearInterpolant"/> for up to <see cref="MaxPieces"/> pieces: 16 scalars
/// at a time, with every table in registers. A scalar's piece (the number of bends at or below it, as
/// <see cref="LinearPieces.Find"/> counts) comes from a branch-free binary search over the bends stored level by level
/// (the root, then 2, 4, ... nodes), each level one register permute and one compare; the piece's row (y at Left,
/// rise, Left, 1 / width) is another permute per column. No memory table is looked up per scalar, nothing depends on
/// a bucket table being built first, and the float operations on each scalar are those of the AVX2 path, so values
/// and dL/dx agree with it bit for bit. dL/d values is summed in double per piece and lane (16 rows per piece, in
/// element order) and the lanes added in order at the end: deterministic, and closer to a double-precision sum than
/// the AVX2 path's float sums.
/// </summary>
[SkipLocalsInit] // the stackalloc buffers are written before they are read
internal sealed unsafe class PieceLookup512
{
    /// <summary>The most pieces the register tables hold (127 bends: 7 levels of the search).</summary>
    public const int MaxPieces = 128;

    private const int Lanes = 16;
    private const int Columns = 4; // y at Left, rise, Left, 1 / width
    private const int Block = 512; // scalars per pass of backward (a multiple of Lanes; its buffers stay in L1)

    private readonly LinearPieces _pieces;
    private readonly int _levels;
    private readonly Vector512<float>[] _tree;

    public PieceLookup512(LinearPieces pieces)
    {
        if (pieces.Count > MaxPieces)
        {
            throw new ArgumentException($"{pieces.Count} pieces; the register tables hold {MaxPieces}", nameof(pieces));
        }

        _pieces = pieces;
        _levels = Math.Max(4, 32 - int.LeadingZeroCount(pieces.Count - 1)); // 2^levels >= Count, 16 entries at least
        _tree = Tree(pieces.Bends, _levels);
    }

    /// <summary>Whether this CPU runs this path for <paramref name="pieces"/> pieces.</summary>
    public static bool Supports(int pieces) => Avx512F.IsSupported && Vector512.IsHardwareAccelerated && pieces <= MaxPieces;

    private int Entries => 1 << _levels;

    private int VectorsPerColumn => Entries / Lanes;

    /// <param name="found">Where not null, receives each scalar's piece as a byte (a quarter of the memory traffic of an
    /// int, which is what these passes over a large layer wait on), its coordinate u in the piece and, for whole vectors,
    /// the piece's rise and 1 / width, for a <see cref="Backward"/> on the same scalars with the same values.</param>
    public void Forward(ReadOnlySpan<float> values, ReadOnlySpan<float> x, Span<float> output, KeptScalars? found = null)
    {
        var rows = Rows(values);
        fixed (Vector512<float>* tree = _tree, table = rows)
        fixed (float* xs = x, ys = output)
        fixed (byte* kept = found?.Pieces)
        fixed (float* keptU = found?.Coordinates)
        fixed (float* keptSlope = found?.Slopes)
        {
            var keep = new Kept(kept, keptU, keptSlope);
            switch (_levels)
            {
                case 4: Forward<Pieces16>(tree, table, xs, ys, keep, x.Length); break;
                case 5: Forward<Pieces32>(tree, table, xs, ys, keep, x.Length); break;
                case 6: Forward<Pieces64>(tree, table, xs, ys, keep, x.Length); break;
                default: Forward<Pieces128>(tree, table, xs, ys, keep, x.Length); break;
            }
        }
    }

    /// <param name="found">Where not null, what <see cref="Forward"/> kept for these scalars and these
    /// <paramref name="values"/> (the rise depends on them): neither the search, nor the coordinate, nor the two factors
    /// of dL/dx are computed again.</param>
    public void Backward(ReadOnlySpan<float> values, ReadOnlySpan<float> x, ReadOnlySpan<float> upstream, Span<float> gradX, Span<float> gradValues, KeptScalars? found = null)
    {
        var rows = Rows(values);
        // (d y0, d y1) per piece and lane: pooled, as the grid calls of a training step made most of its garbage.
        var length = 2 * Lanes * _pieces.Count;
        var sums = ArrayPool<double>.Shared.Rent(length);
        try
        {
            Array.Clear(sums, 0, length);
            fixed (Vector512<float>* tree = _tree, table = rows)
            fixed (float* xs = x, gs = upstream, dxs = gradX)
            fixed (byte* kept = found?.Pieces)
            fixed (float* keptU = found?.Coordinates)
            fixed (float* keptSlope = found?.Slopes)
            fixed (double* totals = sums)
            {
                var keep = new Kept(kept, keptU, keptSlope);
                switch (_levels)
                {
                    case 4: Backward<Pieces16>(tree, table, xs, gs, keep, dxs, totals, x.Length); break;
                    case 5: Backward<Pieces32>(tree, table, xs, gs, keep, dxs, totals, x.Length); break;
                    case 6: Backward<Pieces64>(tree, table, xs, gs, keep, dxs, totals, x.Length); break;
                    default: Backward<Pieces128>(tree, table, xs, gs, keep, dxs, totals, x.Length); break;
                }
            }

            for (var p = 0; p < _pieces.Count; p++)
            {
                double first = 0, second = 0;
                for (var lane = 0; lane < Lanes; lane++)
                {
                    first += sums[2 * ((p * Lanes) + lane)];
                    second += sums[(2 * ((p * Lanes) + lane)) + 1];
                }

                gradValues[2 * p] = (float)first;
                gradValues[(2 * p) + 1] = (float)second;
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(sums);
        }
    }

    /// <summary>
    /// The bends as a complete binary search tree stored level by level, padded with +infinity to 2^levels - 1 nodes:
    /// node j of level l is the sorted bend at (2j + 1) 2^(levels - 1 - l) - 1. Vector 0 holds the root in every lane,
    /// vectors 1-4 levels 1-4, 5-6 level 5 (32 nodes), 7-10 level 6 (64 nodes).
    /// </summary>
    private static Vector512<float>[] Tree(float[] bends, int levels)
    {
        var nodes = new float[11 * Lanes];
        int[] firstVector = [0, 1, 2, 3, 4, 5, 7];
        for (var level = 0; level < levels; level++)
        {
            for (var j = 0; j < 1 << level; j++)
            {
                var sorted = (((2 * j) + 1) << (levels - 1 - level)) - 1;
                nodes[(firstVector[level] * Lanes) + j] = sorted < bends.Length ? bends[sorted] : float.PositiveInfinity;
            }
        }

        var tree = new Vector512<float>[11];
        tree[0] = Vector512.Create(nodes[0]);
        for (var v = 1; v < tree.Length; v++)
        {
            tree[v] = Vector512.Create(nodes, v * Lanes);
        }

        return tree;
    }

    /// <summary>The four columns, each <see cref="VectorsPerColumn"/> vectors of <see cref="Entries"/> pieces (unused ones zero).</summary>
    private Vector512<float>[] Rows(ReadOnlySpan<float> values)
    {
        var entries = Entries;
        var columns = new float[Columns * entries];
        for (var p = 0; p < _pieces.Count; p++)
        {
            columns[p] = values[2 * p];
            columns[entries + p] = values[(2 * p) + 1] - values[2 * p];
            columns[(2 * entries) + p] = _pieces.Left[p];
            columns[(3 * entries) + p] = _pieces.InverseWidth[p];
        }

        var rows = new Vector512<float>[Columns * VectorsPerColumn];
        for (var v = 0; v < rows.Length; v++)
        {
            rows[v] = Vector512.Create(columns, v * Lanes);
        }

        return rows;
    }

    // value = y0 + u * rise with u = (x - left) * inverseWidth, as in the AVX2 path.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Forward<TSize>(Vector512<float>* tree, Vector512<float>* rows, float* xs, float* ys, Kept kept, int count)
        where TSize : struct, IPieceTableSize
    {
        var column = TSize.Entries / Lanes;
        var n = 0;
        for (; n + Lanes <= count; n += Lanes)
        {
            var x = Vector512.Load(xs + n);
            var piece = Piece<TSize>(tree, x);
            var inverseWidth = Lookup<TSize>(rows + (3 * column), piece);
            var u = (x - Lookup<TSize>(rows + (2 * column), piece)) * inverseWidth;
            var rise = Lookup<TSize>(rows + column, piece);
            if (kept.Pieces != null)
            {
                Vector128.Store(Avx512F.ConvertToVector128Byte(piece), kept.Pieces + n);
                Vector512.Store(u, kept.Coordinates + n);

                // The two factors of dL/dx (rise, then 1 / width): backward multiplies them in as it always has,
                // without looking them up again.
                Vector512.Store(rise, kept.Slopes + (2 * n));
                Vector512.Store(inverseWidth, kept.Slopes + (2 * n) + Lanes);
            }

            Vector512.Store(Lookup<TSize>(rows, piece) + (u * rise), ys + n);
        }

        if (n < count)
        {
            ForwardTail<TSize>(tree, rows, xs + n, ys + n, kept.Pieces == null ? default : kept.At(n), count - n);
        }
    }

    /// <summary>The tail through one padded vector: the padding repeats a real input and its outputs are dropped.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ForwardTail<TSize>(Vector512<float>* tree, Vector512<float>* rows, float* xs, float* ys, Kept kept, int lanes)
        where TSize : struct, IPieceTableSize
    {
        var padded = stackalloc float[Lanes];
        var pieces = stackalloc byte[Lanes];
        new Span<float>(padded, Lanes).Fill(xs[0]);
        new ReadOnlySpan<float>(xs, lanes).CopyTo(new Span<float>(padded, Lanes));
        var column = TSize.Entries / Lanes;
        var x = Vector512.Load(padded);
        var piece = Piece<TSize>(tree, x);
        var u = Coordinate<TSize>(rows, column, x, piece);
        Vector512.Store(Value<TSize>(rows, column, u, piece), padded);
        new ReadOnlySpan<float>(padded, lanes).CopyTo(new Span<float>(ys, lanes));
        if (kept.Pieces != null)
        {
            // Backward takes the tail apart (BackwardTail searches again): no factors kept for it.
            Vector128.Store(Avx512F.ConvertToVector128Byte(piece), pieces);
            new ReadOnlySpan<byte>(pieces, lanes).CopyTo(new Span<byte>(kept.Pieces, lanes));
            Vector512.Store(u, padded);
            new ReadOnlySpan<float>(padded, lanes).CopyTo(new Span<float>(kept.Coordinates, lanes));
        }
    }

    /// <summary>u = (x - left) * inverseWidth: where x lies in its piece (0 and 1 at the two sample points).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Coordinate<TSize>(Vector512<float>* rows, int column, Vector512<float> x, Vector512<int> piece)
        where TSize : struct, IPieceTableSize =>
        (x - Lookup<TSize>(rows + (2 * column), piece)) * Lookup<TSize>(rows + (3 * column), piece);

    /// <summary>value = y0 + u * rise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Value<TSize>(Vector512<float>* rows, int column, Vector512<float> u, Vector512<int> piece)
        where TSize : struct, IPieceTableSize =>
        Lookup<TSize>(rows, piece) + (u * Lookup<TSize>(rows + column, piece));

    // Two passes per block of scalars: vectors find the pieces and the (d y0, d y1) pairs, then a scalar loop adds
    // each pair to its piece's row for its lane. Adding straight from the vector registers was slower: each lane's
    // read of a just-stored vector waited on the store. Each pass is its own method, and the partial last vector
    // is handled apart: in one loop with the tail's calls in it, the JIT kept the loops' pointers on the stack and
    // reloaded them for every scalar (the step's relu backward then cost twice as much).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Backward<TSize>(Vector512<float>* tree, Vector512<float>* rows, float* xs, float* gs, Kept kept, float* dxs, double* sums, int count)
        where TSize : struct, IPieceTableSize
    {
        var rowOffsets = stackalloc int[Block];
        var pairs = stackalloc double[Block];
        var whole = count - (count % Lanes);
        for (var start = 0; start < whole; start += Block)
        {
            var size = Math.Min(Block, whole - start);
            Terms<TSize>(tree, rows, xs + start, gs + start, kept.Pieces == null ? default : kept.At(start), dxs + start, size, rowOffsets, pairs);
            Accumulate(sums, rowOffsets, pairs, size);
        }

        if (whole < count)
        {
            // The tail searches its pieces again (at most 15 scalars): the same pieces forward found.
            BackwardTail<TSize>(tree, rows, xs + whole, gs + whole, dxs + whole, sums, count - whole);
        }
    }

    /// <summary>The last, partial vector: padded with a real input and a zero gradient; its extra lanes are dropped.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void BackwardTail<TSize>(Vector512<float>* tree, Vector512<float>* rows, float* xs, float* gs, float* dxs, double* sums, int lanes)
        where TSize : struct, IPieceTableSize
    {
        var padded = stackalloc float[3 * Lanes];
        var rowOffsets = stackalloc int[Lanes];
        var pairs = stackalloc double[Lanes];
        new Span<float>(padded, 3 * Lanes).Clear();
        new Span<float>(padded, Lanes).Fill(xs[0]);
        new ReadOnlySpan<float>(xs, lanes).CopyTo(new Span<float>(padded, Lanes));
        new ReadOnlySpan<float>(gs, lanes).CopyTo(new Span<float>(padded + Lanes, Lanes));
        Terms<TSize>(tree, rows, padded, padded + Lanes, default, padded + (2 * Lanes), Lanes, rowOffsets, pairs);
        new ReadOnlySpan<float>(padded + (2 * Lanes), lanes).CopyTo(new Span<float>(dxs, lanes));
        Accumulate(sums, rowOffsets, pairs, lanes);
    }

    /// <summary>
    /// For <paramref name="size"/> scalars (whole vectors): dL/dx, and per scalar its (d y0, d y1) pair and the offset
    /// of its piece's row for its lane. The pieces, coordinates, rises and 1 / widths come from <paramref name="kept"/>
    /// where forward kept them (the same bits as computing them again).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Terms<TSize>(Vector512<float>* tree, Vector512<float>* rows, float* xs, float* gs, Kept kept, float* dxs, int size, int* rowOffsets, double* pairs)
        where TSize : struct, IPieceTableSize
    {
        var column = TSize.Entries / Lanes;
        var laneOffsets = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
        var lowerPairs = Vector512.Create(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
        var upperPairs = Vector512.Create(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
        for (var v = 0; v < size; v += Lanes)
        {
            var g = Vector512.Load(gs + v);
            Vector512<int> piece;
            Vector512<float> u, rise, inverseWidth;
            if (kept.Pieces != null)
            {
                piece = Avx512F.ConvertToVector512Int32(Vector128.Load(kept.Pieces + v));
                u = Vector512.Load(kept.Coordinates + v);
                rise = Vector512.Load(kept.Slopes + (2 * v));
                inverseWidth = Vector512.Load(kept.Slopes + (2 * v) + Lanes);
            }
            else
            {
                var x = Vector512.Load(xs + v);
                piece = Piece<TSize>(tree, x);
                u = Coordinate<TSize>(rows, column, x, piece);
                rise = Lookup<TSize>(rows + column, piece);
                inverseWidth = Lookup<TSize>(rows + (3 * column), piece);
            }

            Vector512.Store(g * rise * inverseWidth, dxs + v);

            // d value / d y0 = 1 - u and d value / d y1 = u, interleaved in lane order.
            var first = g * (Vector512<float>.One - u);
            var second = g * u;
            Vector512.Store(Avx512F.PermuteVar16x32x2(first, lowerPairs, second), (float*)(pairs + v));
            Vector512.Store(Avx512F.PermuteVar16x32x2(first, upperPairs, second), (float*)(pairs + v + (Lanes / 2)));
            Vector512.Store((piece << 5) + laneOffsets, rowOffsets + v);
        }
    }

    /// <summary>Each pair to the row of its piece and lane, in element order, summed in double.</summary>
    // Not inlined, so that its pointers stay in registers; four pairs per turn of the loop.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Accumulate(double* sums, int* rowOffsets, double* pairs, int size)
    {
        var i = 0;
        for (; i + 4 <= size; i += 4)
        {
            AddPair(sums + rowOffsets[i], pairs[i]);
            AddPair(sums + rowOffsets[i + 1], pairs[i + 1]);
            AddPair(sums + rowOffsets[i + 2], pairs[i + 2]);
            AddPair(sums + rowOffsets[i + 3], pairs[i + 3]);
        }

        for (; i < size; i++)
        {
            AddPair(sums + rowOffsets[i], pairs[i]);
        }
    }

    /// <summary>Adds a pair of floats (held in a double's bits) to a row of two doubles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddPair(double* row, double pair) =>
        Vector128.Store(Vector128.Load(row) + Sse2.ConvertToVector128Double(Vector128.CreateScalarUnsafe(pair).AsSingle()), row);

    /// <summary>The number of bends at or below each lane (its piece): one tree level per step, NaN to piece 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> Piece<TSize>(Vector512<float>* tree, Vector512<float> x)
        where TSize : struct, IPieceTableSize
    {
        var j = Descend(Vector512<int>.Zero, x, tree[0]);
        j = Descend(j, x, Avx512F.PermuteVar16x32(tree[1], j));
        j = Descend(j, x, Avx512F.PermuteVar16x32(tree[2], j));
        j = Descend(j, x, Avx512F.PermuteVar16x32(tree[3], j));
        if (TSize.Entries > 16)
        {
            j = Descend(j, x, Avx512F.PermuteVar16x32(tree[4], j));
        }

        if (TSize.Entries > 32)
        {
            j = Descend(j, x, Avx512F.PermuteVar16x32x2(tree[5], j, tree[6]));
        }

        if (TSize.Entries > 64)
        {
            j = Descend(j, x, Lookup64(tree + 7, j));
        }

        return j;
    }

    /// <summary>Left child 2j where x is below the node, right child 2j + 1 where it is at or above it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> Descend(Vector512<int> j, Vector512<float> x, Vector512<float> node)
    {
        // A select on the compare's mask: the JIT makes it one masked add, where subtracting the compare as a
        // vector first turned the mask into a vector (one more instruction per level).
        var left = j + j;
        return Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(x, node).AsInt32(), left + Vector512<int>.One, left);
    }

    /// <summary>Entry <paramref name="index"/> of a column of <typeparamref name="TSize"/> entries.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Lookup<TSize>(Vector512<float>* column, Vector512<int> index)
        where TSize : struct, IPieceTableSize
    {
        if (TSize.Entries == 16)
        {
            return Avx512F.PermuteVar16x32(column[0], index);
        }

        if (TSize.Entries == 32)
        {
            return Avx512F.PermuteVar16x32x2(column[0], index, column[1]);
        }

        if (TSize.Entries == 64)
        {
            return Lookup64(column, index);
        }

        var upper = Vector512.Equals(index & Vector512.Create(64), Vector512.Create(64));
        return Vector512.ConditionalSelect(upper.AsSingle(), Lookup64(column + 4, index), Lookup64(column, index));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Lookup64(Vector512<float>* column, Vector512<int> index)
    {
        var upper = Vector512.Equals(index & Vector512.Create(32), Vector512.Create(32));
        return Vector512.ConditionalSelect(upper.AsSingle(), Avx512F.PermuteVar16x32x2(column[2], index, column[3]), Avx512F.PermuteVar16x32x2(column[0], index, column[1]));
    }
}

/// <summary>How many entries the register tables of <see cref="PieceLookup512"/> have: the JIT compiles its loops once per size.</summary>
internal interface IPieceTableSize
{
    static abstract int Entries { get; }
}

internal readonly struct Pieces16 : IPieceTableSize
{
    public static int Entries => 16;
}

internal readonly struct Pieces32 : IPieceTableSize
{
    public static int Entries => 32;
}

internal readonly struct Pieces64 : IPieceTableSize
{
    public static int Entries => 64;
}

internal readonly struct Pieces128 : IPieceTableSize
{
    public static int Entries => 128;
}

/// <summary>
/// What the AVX-512 forward keeps per scalar for backward (pooled arrays): its piece (a byte), its coordinate u in the
/// piece and, for whole vectors of 16, the piece's rise and 1 / width (16 of each per vector, in that order), the two
/// factors of dL/dx, which backward would otherwise look up in the tables again.
/// </summary>
internal sealed class KeptScalars
{
    public KeptScalars(int length)
    {
        Pieces = ArrayPool<byte>.Shared.Rent(length);
        Coordinates = ArrayPool<float>.Shared.Rent(length);
        Slopes = ArrayPool<float>.Shared.Rent(2 * length);
    }

    public byte[] Pieces { get; }

    public float[] Coordinates { get; }

    public float[] Slopes { get; }

    /// <summary>Returns the arrays to their pools; the instance is not used after.</summary>
    public void Release()
    {
        ArrayPool<byte>.Shared.Return(Pieces);
        ArrayPool<float>.Shared.Return(Coordinates);
        ArrayPool<float>.Shared.Return(Slopes);
    }
}

/// <summary><see cref="KeptScalars"/>' arrays, pinned, from one scalar on; all null when nothing is kept.</summary>
internal readonly unsafe struct Kept(byte* pieces, float* coordinates, float* slopes)
{
    public byte* Pieces { get; } = pieces;

    public float* Coordinates { get; } = coordinates;

    public float* Slopes { get; } = slopes;

    /// <summary>The same arrays from scalar <paramref name="n"/> on (a multiple of 16).</summary>
    public Kept At(int n) => new(Pieces + n, Coordinates + n, Slopes + (2 * n));
}
