using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using LearnedActivation.Model.Bases;

namespace LearnedActivation.Model.Evaluation.Fused;

/// <summary>
/// The fused relu network (at least two hidden layers) computed with fewer operations, using that relu's first
/// layer is piecewise linear in x. Unit j of the first layer is active where w0_j x + b0_j &gt; 0: one side of
/// one threshold. So the scalars fall into at most h1 + 1 segments of the x axis, and within a segment the same
/// units are active (mask m), the first layer is an affine function of x, and so is the second layer's input:
/// <c>z1 = p x + q</c> with <c>p = W1 (m * w0)</c>, <c>q = W1 (m * b0) + b1</c>. Each segment's scalars (grouped by a
/// stable counting sort) go through the plain fused kernel on the collapsed network <c>1 -&gt; h2 -&gt; ... -&gt; 1</c>
/// (first layer p, q): for the large network 152 instead of 680 multiply-adds per scalar forward, and the 512-term
/// second-layer products of backward become two sums per unit. The collapsed network's first-layer gradients are
/// folded back in double precision once per segment: dW1 = dp (m w0)^T + dq (m b0)^T, db1 = dq,
/// dw0 = m * (W1^T dp), db0 = m * (W1^T dq). The same function and gradients as the plain kernel, to float rounding.
/// <para>
/// Segments are told apart by the number of units on their "far" side (active for w0 &gt;= 0, inactive for
/// w0 &lt; 0). fl(w0 x + b0), the multiply-add the plain kernel computes too, is monotone in x, so each unit's far
/// side is exactly the floats at or past one threshold (found once per weight snapshot by bisection), and that count
/// identifies the active set exactly, even for scalars on a bend. Every sum has a fixed order (segments in order,
/// each one single-threaded), so results are bit-identical whatever the thread count. Non-finite inputs are left
/// to the plain kernel (<see cref="TryPlan"/> says so). The collapsed networks run through the fused kernel's code
/// paths directly (<see cref="FusedKernelPaths"/>), not through <see cref="FusedActivationKernel"/>, which routes
/// here. Timings against the plain kernel: docs/benchmarks.md.
/// </para>
/// </summary>
internal sealed unsafe class ReluSegmentedKernel
{
    /// <summary>Calls with fewer scalars run the plain kernel: sorting and per-segment set-up would cost more than they save.</summary>
    public const int MinScalars = 4096;

    private const int Streams = 4; // independent chains in the counting sort (Sort's loops are written out for 4)

    private readonly float[] _w0;          // first layer, [h1]
    private readonly float[] _b0;
    private readonly float[] _w1;          // second layer, [h2, h1] row-major
    private readonly float[] _b1;
    private readonly float[][] _restWeights; // layers 2.., the same in every segment
    private readonly float[][] _restBiases;
    private readonly bool _allowVector512;
    private readonly float[] _thresholds;      // per first-layer unit: where its far side starts (Keys)
    private readonly CollapsedSegment?[] _collapsed; // per segment, made on first use (two threads racing make equal ones); forward and backward share them

    public ReluSegmentedKernel(float[][] weights, float[][] biases, bool allowVector512)
    {
        if (weights.Length < 3)
        {
            throw new ArgumentException($"needs at least two hidden layers (has {weights.Length - 1})", nameof(weights));
        }

        (_w0, _b0, _w1, _b1) = (weights[0], biases[0], weights[1], biases[1]);
        _restWeights = weights[2..];
        _restBiases = biases[2..];
        _allowVector512 = allowVector512;
        _thresholds = Thresholds(_w0, _b0);
        _collapsed = new CollapsedSegment?[Segments];
    }

    private int FirstWidth => _b0.Length;

    private int SecondWidth => _b1.Length;

    private int Segments => FirstWidth + 1;

    /// <summary>
    /// Floats of state that <see cref="TryPlan"/> writes and forward and backward read: the segment bounds
    /// (<see cref="Segments"/> + 1 ints), the scalars' indices in segment order (ints) and their values in that order.
    /// </summary>
    public int SavedFloats(int count) => Segments + 1 + (2 * count);

    /// <summary>
    /// Groups the scalars by segment (a stable counting sort) into <paramref name="state"/> (<see cref="SavedFloats"/>
    /// floats). False, with the state undefined, if any input is NaN or infinite.
    /// </summary>
    public bool TryPlan(ReadOnlySpan<float> x, Span<float> state)
    {
        var count = x.Length;
        var keys = ArrayPool<int>.Shared.Rent(count);
        try
        {
            if (!Keys(x, keys))
            {
                return false;
            }

            fixed (float* xs = x, st = state)
            fixed (int* ks = keys)
            {
                var bounds = (int*)st;
                var order = bounds + Segments + 1;
                var sorted = st + Segments + 1 + count;
                Sort(xs, ks, count, bounds, order, sorted);
            }

            return true;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(keys);
        }
    }

    /// <summary>
    /// A counting sort by key in <see cref="Streams"/> interleaved chains, chain q taking the q-th contiguous part of
    /// the scalars: within a segment the parts follow one another (the order of a stable sort), and the chains'
    /// increments do not wait on each other's stores. counts[q * Segments + k] counts key k in part q, then
    /// becomes where that part's next scalar of segment k goes.
    /// </summary>
    private void Sort(float* xs, int* keys, int count, int* bounds, int* order, float* sorted)
    {
        var parts = stackalloc int[Streams + 1];
        for (var q = 0; q <= Streams; q++)
        {
            parts[q] = (int)((long)count * q / Streams);
        }

        var counts = stackalloc int[Streams * Segments];
        new Span<int>(counts, Streams * Segments).Clear();
        var common = parts[1] - parts[0];
        var c1 = counts + Segments;
        var c2 = counts + (2 * Segments);
        var c3 = counts + (3 * Segments);
        for (var i = 0; i < common; i++)
        {
            counts[keys[i]]++;
            c1[keys[parts[1] + i]]++;
            c2[keys[parts[2] + i]]++;
            c3[keys[parts[3] + i]]++;
        }

        for (var q = 0; q < Streams; q++)
        {
            for (var i = parts[q] + common; i < parts[q + 1]; i++)
            {
                counts[(q * Segments) + keys[i]]++;
            }
        }

        var position = 0;
        for (var k = 0; k < Segments; k++)
        {
            bounds[k] = position;
            for (var q = 0; q < Streams; q++)
            {
                (counts[(q * Segments) + k], position) = (position, position + counts[(q * Segments) + k]);
            }
        }

        bounds[Segments] = position;
        for (var i = 0; i < common; i++)
        {
            Place(xs, keys, order, sorted, counts, i);
            Place(xs, keys, order, sorted, c1, parts[1] + i);
            Place(xs, keys, order, sorted, c2, parts[2] + i);
            Place(xs, keys, order, sorted, c3, parts[3] + i);
        }

        for (var q = 0; q < Streams; q++)
        {
            for (var i = parts[q] + common; i < parts[q + 1]; i++)
            {
                Place(xs, keys, order, sorted, counts + (q * Segments), i);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Place(float* xs, int* keys, int* order, float* sorted, int* next, int at)
    {
        var to = next[keys[at]]++;
        order[to] = at;
        sorted[to] = xs[at];
    }

    /// <summary>y = f(x) given the state from <see cref="TryPlan"/>; segments run in parallel on up to <paramref name="threads"/> threads.</summary>
    public void Forward(Span<float> y, int threads, ReadOnlySpan<float> state)
    {
        var count = y.Length;
        var buffer = ArrayPool<float>.Shared.Rent(count);
        try
        {
            fixed (float* st = state, ys = y, sortedY = buffer)
            {
                var bounds = (int*)st;
                var order = bounds + Segments + 1;
                var sorted = st + Segments + 1 + count;
                var (starts, inputs, outputs) = ((nint)bounds, (nint)sorted, (nint)sortedY);
                EachSegment(bounds, threads, s =>
                {
                    var (start, length) = (((int*)starts)[s], ((int*)starts)[s + 1] - ((int*)starts)[s]);
                    var xs = (float*)inputs + start;
                    Collapsed(s, *xs).ForwardRange(xs, (float*)outputs + start, length, null, 0);
                });

                for (var k = 0; k < count; k++)
                {
                    ys[order[k]] = sortedY[k];
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    /// <summary>Writes dL/dx and returns the double sums dL/dW, dL/db per layer, given the state from <see cref="TryPlan"/>.</summary>
    public (double[][] Weights, double[][] Biases) Backward(ReadOnlySpan<float> upstream, Span<float> gradX, int threads, ReadOnlySpan<float> state)
    {
        var count = upstream.Length;
        var buffer = ArrayPool<float>.Shared.Rent(2 * count);
        var parts = new (double[][] Weights, double[][] Biases)?[Segments];
        try
        {
            fixed (float* st = state, gs = upstream, dxs = gradX, scratch = buffer)
            {
                var bounds = (int*)st;
                var order = bounds + Segments + 1;
                var sorted = st + Segments + 1 + count;
                var sortedG = scratch;
                var sortedDx = scratch + count;
                for (var k = 0; k < count; k++)
                {
                    sortedG[k] = gs[order[k]];
                }

                var (starts, inputs, grads, inputGrads) = ((nint)bounds, (nint)sorted, (nint)sortedG, (nint)sortedDx);
                EachSegment(bounds, threads, s =>
                {
                    var (start, length) = (((int*)starts)[s], ((int*)starts)[s + 1] - ((int*)starts)[s]);
                    var xs = (float*)inputs + start;
                    parts[s] = Collapsed(s, *xs).BackwardRange(xs, (float*)grads + start, (float*)inputGrads + start, length, null, 0);
                });

                for (var k = 0; k < count; k++)
                {
                    dxs[order[k]] = sortedDx[k];
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }

        return Fold(parts);
    }

    /// <summary>
    /// Each scalar's segment: how many first-layer units are on their far side, i.e. at or past their threshold
    /// (<see cref="Thresholds"/>). False if any input is not finite.
    /// </summary>
    private bool Keys(ReadOnlySpan<float> x, int[] keys)
    {
        var thresholds = _thresholds;
        var n = 0;
        var finite = true;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; n + Vector512<float>.Count <= x.Length; n += Vector512<float>.Count)
            {
                var v = Vector512.Create(x.Slice(n, Vector512<float>.Count));
                finite &= Vector512.EqualsAll(v - v, Vector512<float>.Zero);
                var key = Vector512<int>.Zero;
                foreach (var t in thresholds)
                {
                    key -= Vector512.GreaterThanOrEqual(v, Vector512.Create(t)).AsInt32();
                }

                key.CopyTo(keys.AsSpan(n));
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; n + Vector256<float>.Count <= x.Length; n += Vector256<float>.Count)
            {
                var v = Vector256.Create(x.Slice(n, Vector256<float>.Count));
                finite &= Vector256.EqualsAll(v - v, Vector256<float>.Zero);
                var key = Vector256<int>.Zero;
                foreach (var t in thresholds)
                {
                    key -= Vector256.GreaterThanOrEqual(v, Vector256.Create(t)).AsInt32();
                }

                key.CopyTo(keys.AsSpan(n));
            }
        }

        for (; n < x.Length; n++)
        {
            finite &= float.IsFinite(x[n]);
            var key = 0;
            foreach (var t in thresholds)
            {
                key += x[n] >= t ? 1 : 0;
            }

            keys[n] = key;
        }

        return finite;
    }

    /// <summary>
    /// Per first-layer unit, the least float x on its far side: active (fl(w0 x + b0) &gt; 0) for w0 &gt;= 0, inactive
    /// for w0 &lt; 0. The rounded product-sum is monotone in x, so the far side is exactly the x at or past it; found by
    /// bisection over the floats' order with the same multiply-add that <see cref="Mask"/> uses. +infinity where no
    /// finite x is on the far side.
    /// </summary>
    private static float[] Thresholds(float[] w0, float[] b0)
    {
        var thresholds = new float[w0.Length];
        for (var j = 0; j < w0.Length; j++)
        {
            var (w, b) = (w0[j], b0[j]);
            bool Far(float x) => w >= 0 ? MathF.FusedMultiplyAdd(w, x, b) > 0 : MathF.FusedMultiplyAdd(w, x, b) <= 0;
            if (!Far(float.MaxValue))
            {
                thresholds[j] = float.PositiveInfinity;
                continue;
            }

            // Bisect over the order-preserving integer image of the finite floats: Far(From(hi)) holds throughout.
            var (lo, hi) = (Ordered(-float.MaxValue) - 1L, Ordered(float.MaxValue));
            while (hi - lo > 1)
            {
                var mid = lo + ((hi - lo) / 2);
                (lo, hi) = Far(From(mid)) ? (lo, mid) : (mid, hi);
            }

            thresholds[j] = From(hi);
        }

        return thresholds;
    }

    /// <summary>An integer that orders floats as their values do (-0 and +0 both map to 0).</summary>
    private static long Ordered(float value)
    {
        var bits = BitConverter.SingleToInt32Bits(value);
        return bits >= 0 ? bits : -(long)(bits & int.MaxValue);
    }

    private static float From(long ordered) =>
        ordered >= 0 ? BitConverter.Int32BitsToSingle((int)ordered) : -BitConverter.Int32BitsToSingle((int)(-ordered));

    /// <summary>Which first-layer units are active at <paramref name="x"/> (the multiply-add <see cref="Thresholds"/> bisects on).</summary>
    private bool[] Mask(float x)
    {
        var mask = new bool[FirstWidth];
        for (var j = 0; j < FirstWidth; j++)
        {
            mask[j] = MathF.FusedMultiplyAdd(_w0[j], x, _b0[j]) > 0;
        }

        return mask;
    }

    /// <summary>
    /// Segment <paramref name="segment"/>'s network (its first two layers collapsed for the units active at
    /// <paramref name="member"/>, one of its scalars), made once and kept for backward.
    /// </summary>
    private IFusedKernelPath Collapsed(int segment, float member) => (_collapsed[segment] ??= Collapse(Mask(member))).Path;

    /// <summary>The network with its first two layers collapsed for the active units <paramref name="mask"/>: 1 -> h2 (p, q) -> ... -> 1.</summary>
    private CollapsedSegment Collapse(bool[] mask)
    {
        var (p, q) = (new float[SecondWidth], new float[SecondWidth]);
        for (var i = 0; i < SecondWidth; i++)
        {
            var (slope, offset) = (0.0, (double)_b1[i]);
            for (var j = 0; j < FirstWidth; j++)
            {
                if (mask[j])
                {
                    var w = (double)_w1[(i * FirstWidth) + j];
                    slope += w * _w0[j];
                    offset += w * _b0[j];
                }
            }

            (p[i], q[i]) = ((float)slope, (float)offset);
        }

        return new CollapsedSegment(mask, FusedKernelPaths.Create<ReluBase>([p, .. _restWeights], [q, .. _restBiases], _allowVector512));
    }

    /// <summary>Adds the segments' gradients in segment order, unfolding each collapsed first layer into the real first two.</summary>
    private (double[][] Weights, double[][] Biases) Fold((double[][] Weights, double[][] Biases)?[] parts)
    {
        var layers = _restWeights.Length + 2;
        var weights = new double[layers][];
        var biases = new double[layers][];
        (weights[0], biases[0]) = (new double[FirstWidth], new double[FirstWidth]);
        (weights[1], biases[1]) = (new double[_w1.Length], new double[SecondWidth]);
        for (var l = 2; l < layers; l++)
        {
            (weights[l], biases[l]) = (new double[_restWeights[l - 2].Length], new double[_restBiases[l - 2].Length]);
        }

        for (var s = 0; s < Segments; s++)
        {
            if (parts[s] is not { } segment)
            {
                continue;
            }

            var mask = _collapsed[s]!.Mask;
            var (dp, dq) = (segment.Weights[0], segment.Biases[0]);
            for (var i = 0; i < SecondWidth; i++)
            {
                biases[1][i] += dq[i];
                for (var j = 0; j < FirstWidth; j++)
                {
                    if (mask[j])
                    {
                        var w = (double)_w1[(i * FirstWidth) + j];
                        weights[1][(i * FirstWidth) + j] += (dp[i] * _w0[j]) + (dq[i] * _b0[j]);
                        weights[0][j] += w * dp[i];
                        biases[0][j] += w * dq[i];
                    }
                }
            }

            for (var l = 2; l < layers; l++)
            {
                Add(weights[l], segment.Weights[l - 1]);
                Add(biases[l], segment.Biases[l - 1]);
            }
        }

        return (weights, biases);
    }

    private static void Add(double[] total, double[] part)
    {
        for (var i = 0; i < total.Length; i++)
        {
            total[i] += part[i];
        }
    }

    /// <summary>Runs <paramref name="body"/> for every non-empty segment; each writes only its own range.</summary>
    private void EachSegment(int* bounds, int threads, Action<int> body)
    {
        var segments = new List<int>(Segments);
        for (var s = 0; s < Segments; s++)
        {
            if (bounds[s + 1] > bounds[s])
            {
                segments.Add(s);
            }
        }

        if (threads <= 1)
        {
            foreach (var s in segments)
            {
                body(s);
            }

            return;
        }

        Parallel.ForEach(segments, new ParallelOptions { MaxDegreeOfParallelism = threads }, body);
    }
}

/// <summary>A segment's active first-layer units and its collapsed network.</summary>
internal sealed record CollapsedSegment(bool[] Mask, IFusedKernelPath Path);
