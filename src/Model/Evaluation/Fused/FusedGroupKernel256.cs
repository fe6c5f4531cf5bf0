using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using LearnedActivation.Model.Bases;

namespace LearnedActivation.Model.Evaluation.Fused;

/// <summary>
/// The fused kernel's AVX2 path, which CPUs without AVX-512 run: 8 scalars at a time (one Vector256 lane each), all
/// layers in one pass; a group's hidden values live in a few KB of buffers while it is processed and are never
/// written out. Backward recomputes them instead of storing ~56 floats per scalar, so nothing is kept between
/// forward and backward. Weight gradients are summed per lane in float over blocks of <see cref="FlushGroups"/>
/// groups, then added to double totals lane by lane: a fixed order (bitwise reproducible) and double-precision
/// accuracy over long sums. Immutable and thread-safe.
/// </summary>
internal sealed unsafe class FusedGroupKernel256<TBase> : IFusedKernelPath
    where TBase : struct, IBaseActivation
{
    private const int Lanes = 8;
    private const int FlushGroups = 64;

    private readonly int[] _widths;       // [1, h1, ..., hk, 1]
    private readonly float[][] _weights;  // layer l: [widths[l+1], widths[l]] row-major, as nn.Linear stores it
    private readonly float[][] _biases;
    private readonly int[] _hiddenOffsets; // floats from the start of a group's hidden buffer to layer l's values
    private readonly int _hiddenFloats;

    public FusedGroupKernel256(int[] widths, float[][] weights, float[][] biases)
    {
        _widths = widths;
        _weights = weights;
        _biases = biases;
        _hiddenOffsets = new int[weights.Length];
        for (var l = 0; l + 1 < weights.Length; l++)
        {
            _hiddenOffsets[l + 1] = _hiddenOffsets[l] + (_widths[l + 1] * Lanes);
        }

        _hiddenFloats = _hiddenOffsets[^1];
    }

    public int Granularity => Lanes;

    public bool UsesVector512 => false;

    private int LayerCount => _weights.Length;

    public int FirstSavedLayer(int count) => 0;

    public int SavedFloatsPerScalar(int firstSaved) => 0;

    public int SavedFloats(int count) => 0;

    /// <summary>Replaces each of <paramref name="count"/> 8-float vectors of pre-activations by sigma(z), writing sigma'(z) to slopes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Activate(float* values, float* slopes, int count)
    {
        for (var k = 0; k < count * Lanes; k += Lanes)
        {
            Vector256.Store(TBase.Value(Vector256.Load(values + k), out var slope), values + k);
            Vector256.Store(slope, slopes + k);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void ForwardRange(float* xs, float* ys, int count, float* saved, int firstSaved)
    {
        var values = new float[_hiddenFloats];
        var slopes = new float[_hiddenFloats];
        var tail = stackalloc float[Lanes];
        fixed (float* h = values, d = slopes)
        {
            var full = count / Lanes * Lanes;
            for (var n = 0; n < full; n += Lanes)
            {
                Vector256.Store(GroupForward(Vector256.Load(xs + n), h, d), ys + n);
            }

            if (full < count)
            {
                var rest = count - full;
                Vector256.Store(GroupForward(Pad(xs + full, rest), h, d), tail);
                new ReadOnlySpan<float>(tail, rest).CopyTo(new Span<float>(ys + full, rest));
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public (double[][] Weights, double[][] Biases) BackwardRange(float* xs, float* gs, float* dxs, int count, float* saved, int firstSaved)
    {
        var values = new float[_hiddenFloats];
        var slopes = new float[_hiddenFloats];
        var deltas = new float[_hiddenFloats];
        var blockWeightGrads = _weights.Select(w => new float[w.Length * Lanes]).ToArray();
        var blockBiasGrads = _biases.Select(b => new float[b.Length * Lanes]).ToArray();
        var weightTotals = _weights.Select(w => new double[w.Length]).ToArray();
        var biasTotals = _biases.Select(b => new double[b.Length]).ToArray();
        var tail = stackalloc float[Lanes];

        fixed (float* h = values, d = slopes, delta = deltas)
        {
            var full = count / Lanes * Lanes;
            var groupsInBlock = 0;
            for (var n = 0; n < full; n += Lanes)
            {
                var dx = GroupBackward(Vector256.Load(xs + n), Vector256.Load(gs + n), h, d, delta, blockWeightGrads, blockBiasGrads);
                Vector256.Store(dx, dxs + n);
                if (++groupsInBlock == FlushGroups)
                {
                    Flush(blockWeightGrads, weightTotals);
                    Flush(blockBiasGrads, biasTotals);
                    groupsInBlock = 0;
                }
            }

            if (full < count)
            {
                // Padding lanes get a zero upstream gradient, so they add nothing to the weight gradients.
                var rest = count - full;
                var dx = GroupBackward(Pad(xs + full, rest), Pad(gs + full, rest), h, d, delta, blockWeightGrads, blockBiasGrads);
                Vector256.Store(dx, tail);
                new ReadOnlySpan<float>(tail, rest).CopyTo(new Span<float>(dxs + full, rest));
            }

            Flush(blockWeightGrads, weightTotals, clear: false);
            Flush(blockBiasGrads, biasTotals, clear: false);
        }

        return (weightTotals, biasTotals);
    }

    private static Vector256<float> Pad(float* source, int count)
    {
        var buffer = stackalloc float[Lanes];
        for (var i = 0; i < Lanes; i++)
        {
            buffer[i] = i < count ? source[i] : 0f;
        }

        return Vector256.Load(buffer);
    }

    /// <summary>
    /// Adds each block accumulator's 8 lanes, in lane order, to its double total and clears it (the last flush of a
    /// call need not clear). Four parameters at a time: each sum still runs over its lanes in order, but four chains
    /// of adds overlap instead of each waiting on the one before (on the grid's calls of a few dozen scalars this
    /// reduction was most of backward).
    /// </summary>
    private static void Flush(float[][] block, double[][] totals, bool clear = true)
    {
        for (var l = 0; l < block.Length; l++)
        {
            var lanes = block[l];
            var total = totals[l];
            var p = 0;
            for (; p + 4 <= total.Length; p += 4)
            {
                double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                for (var lane = 0; lane < Lanes; lane++)
                {
                    s0 += lanes[(p * Lanes) + lane];
                    s1 += lanes[((p + 1) * Lanes) + lane];
                    s2 += lanes[((p + 2) * Lanes) + lane];
                    s3 += lanes[((p + 3) * Lanes) + lane];
                }

                total[p] += s0;
                total[p + 1] += s1;
                total[p + 2] += s2;
                total[p + 3] += s3;
            }

            for (; p < total.Length; p++)
            {
                var sum = 0.0;
                for (var lane = 0; lane < Lanes; lane++)
                {
                    sum += lanes[(p * Lanes) + lane];
                }

                total[p] += sum;
            }

            if (clear)
            {
                Array.Clear(lanes);
            }
        }
    }

    /// <summary>Forward pass of 8 scalars; leaves each hidden layer's sigma(z) in h and sigma'(z) in d.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector256<float> GroupForward(Vector256<float> x, float* h, float* d)
    {
        // First layer: 1 -> h1, one multiply-add per unit.
        var w0 = _weights[0];
        var b0 = _biases[0];
        for (var j = 0; j < w0.Length; j++)
        {
            Vector256.Store(Vector256.FusedMultiplyAdd(Vector256.Create(w0[j]), x, Vector256.Create(b0[j])), h + (j * Lanes));
        }

        Activate(h, d, w0.Length);

        // Hidden -> hidden layers.
        for (var l = 1; l < LayerCount - 1; l++)
        {
            fixed (float* w = _weights[l], b = _biases[l])
            {
                HiddenLayer(w, b, _widths[l], _widths[l + 1], h + _hiddenOffsets[l - 1], h + _hiddenOffsets[l]);
                Activate(h + _hiddenOffsets[l], d + _hiddenOffsets[l], _widths[l + 1]);
            }
        }

        // Last layer: hk -> 1, no activation.
        fixed (float* w = _weights[^1])
        {
            var input = h + _hiddenOffsets[^2];
            var width = _widths[^2];
            var sum = Vector256.Create(_biases[^1][0]);
            for (var i = 0; i < width; i++)
            {
                sum = Vector256.FusedMultiplyAdd(Vector256.Create(w[i]), Vector256.Load(input + (i * Lanes)), sum);
            }

            return sum;
        }
    }

    /// <summary>z = W h_in + b, eight output units at a time, so that each input vector is loaded once per eight.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void HiddenLayer(float* w, float* b, int inWidth, int outWidth, float* input, float* output)
    {
        var j = 0;
        for (; j + 8 <= outWidth; j += 8)
        {
            var a0 = Vector256.Create(b[j]);
            var a1 = Vector256.Create(b[j + 1]);
            var a2 = Vector256.Create(b[j + 2]);
            var a3 = Vector256.Create(b[j + 3]);
            var a4 = Vector256.Create(b[j + 4]);
            var a5 = Vector256.Create(b[j + 5]);
            var a6 = Vector256.Create(b[j + 6]);
            var a7 = Vector256.Create(b[j + 7]);
            var r0 = w + (j * inWidth);
            var r1 = r0 + inWidth;
            var r2 = r1 + inWidth;
            var r3 = r2 + inWidth;
            var r4 = r3 + inWidth;
            var r5 = r4 + inWidth;
            var r6 = r5 + inWidth;
            var r7 = r6 + inWidth;
            for (var i = 0; i < inWidth; i++)
            {
                var v = Vector256.Load(input + (i * Lanes));
                a0 = Vector256.FusedMultiplyAdd(Vector256.Create(r0[i]), v, a0);
                a1 = Vector256.FusedMultiplyAdd(Vector256.Create(r1[i]), v, a1);
                a2 = Vector256.FusedMultiplyAdd(Vector256.Create(r2[i]), v, a2);
                a3 = Vector256.FusedMultiplyAdd(Vector256.Create(r3[i]), v, a3);
                a4 = Vector256.FusedMultiplyAdd(Vector256.Create(r4[i]), v, a4);
                a5 = Vector256.FusedMultiplyAdd(Vector256.Create(r5[i]), v, a5);
                a6 = Vector256.FusedMultiplyAdd(Vector256.Create(r6[i]), v, a6);
                a7 = Vector256.FusedMultiplyAdd(Vector256.Create(r7[i]), v, a7);
            }

            Vector256.Store(a0, output + ((j) * Lanes));
            Vector256.Store(a1, output + ((j + 1) * Lanes));
            Vector256.Store(a2, output + ((j + 2) * Lanes));
            Vector256.Store(a3, output + ((j + 3) * Lanes));
            Vector256.Store(a4, output + ((j + 4) * Lanes));
            Vector256.Store(a5, output + ((j + 5) * Lanes));
            Vector256.Store(a6, output + ((j + 6) * Lanes));
            Vector256.Store(a7, output + ((j + 7) * Lanes));
        }

        for (; j < outWidth; j++)
        {
            var a = Vector256.Create(b[j]);
            var row = w + (j * inWidth);
            for (var i = 0; i < inWidth; i++)
            {
                a = Vector256.FusedMultiplyAdd(Vector256.Create(row[i]), Vector256.Load(input + (i * Lanes)), a);
            }

            Vector256.Store(a, output + ((j) * Lanes));
        }
    }

    /// <summary>Backward pass of 8 scalars with upstream gradient g; returns dL/dx and adds to the block gradients.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector256<float> GroupBackward(Vector256<float> x, Vector256<float> g, float* h, float* d, float* delta, float[][] weightGrads, float[][] biasGrads)
    {
        GroupForward(x, h, d);

        // Last layer: dL/dh_k = g * w; dL/dw = g * h_k; dL/db = g. Then through sigma: delta_k = dL/dz_k.
        var last = LayerCount - 1;
        fixed (float* w = _weights[last], gw = weightGrads[last], gb = biasGrads[last])
        {
            var offset = _hiddenOffsets[last - 1];
            for (var i = 0; i < _widths[last]; i++)
            {
                var at = offset + (i * Lanes);
                Accumulate(gw + (i * Lanes), g, Vector256.Load(h + at));
                Vector256.Store(g * w[i] * Vector256.Load(d + at), delta + at);
            }

            Vector256.Store(Vector256.Load(gb) + g, gb);
        }

        // Hidden layers, from the last down to the second: delta_{l-1} = (W_l^T delta_l) * sigma'(z_{l-1}).
        for (var l = last - 1; l >= 1; l--)
        {
            fixed (float* w = _weights[l], gw = weightGrads[l], gb = biasGrads[l])
            {
                HiddenLayerBackward(w, gw, gb, _widths[l], _widths[l + 1], h + _hiddenOffsets[l - 1], d + _hiddenOffsets[l - 1], delta + _hiddenOffsets[l], delta + _hiddenOffsets[l - 1]);
            }
        }

        // First layer: z1 = w0 x + b0, so dL/dw0 = delta_1 x, dL/db0 = delta_1, dL/dx = sum_j w0_j delta_1j.
        fixed (float* w = _weights[0], gw = weightGrads[0], gb = biasGrads[0])
        {
            var dx = Vector256<float>.Zero;
            for (var j = 0; j < _widths[1]; j++)
            {
                var dz = Vector256.Load(delta + (j * Lanes));
                Accumulate(gw + (j * Lanes), dz, x);
                Vector256.Store(Vector256.Load(gb + (j * Lanes)) + dz, gb + (j * Lanes));
                dx = Vector256.FusedMultiplyAdd(Vector256.Create(w[j]), dz, dx);
            }

            return dx;
        }
    }

    /// <summary>
    /// For z_out = W h_in + b with known dL/dz_out (<paramref name="deltaOut"/>): adds dL/dW and dL/db, and
    /// writes dL/dz_in = (W^T deltaOut) * sigma'(z_in). Four input units at a time share each loaded delta.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void HiddenLayerBackward(float* w, float* gw, float* gb, int inWidth, int outWidth, float* input, float* inputSlopes, float* deltaOut, float* deltaIn)
    {
        for (var j = 0; j < outWidth; j++)
        {
            Vector256.Store(Vector256.Load(gb + (j * Lanes)) + Vector256.Load(deltaOut + (j * Lanes)), gb + (j * Lanes));
        }

        var i = 0;
        for (; i + 4 <= inWidth; i += 4)
        {
            var h0 = Vector256.Load(input + (i * Lanes));
            var h1 = Vector256.Load(input + ((i + 1) * Lanes));
            var h2 = Vector256.Load(input + ((i + 2) * Lanes));
            var h3 = Vector256.Load(input + ((i + 3) * Lanes));
            var s0 = Vector256<float>.Zero;
            var s1 = Vector256<float>.Zero;
            var s2 = Vector256<float>.Zero;
            var s3 = Vector256<float>.Zero;
            for (var j = 0; j < outWidth; j++)
            {
                var dz = Vector256.Load(deltaOut + (j * Lanes));
                var row = w + (j * inWidth) + i;
                s0 = Vector256.FusedMultiplyAdd(Vector256.Create(row[0]), dz, s0);
                s1 = Vector256.FusedMultiplyAdd(Vector256.Create(row[1]), dz, s1);
                s2 = Vector256.FusedMultiplyAdd(Vector256.Create(row[2]), dz, s2);
                s3 = Vector256.FusedMultiplyAdd(Vector256.Create(row[3]), dz, s3);
                var grads = gw + (((j * inWidth) + i) * Lanes);
                Accumulate(grads, dz, h0);
                Accumulate(grads + Lanes, dz, h1);
                Accumulate(grads + (2 * Lanes), dz, h2);
                Accumulate(grads + (3 * Lanes), dz, h3);
            }

            Vector256.Store(s0 * Vector256.Load(inputSlopes + (i * Lanes)), deltaIn + (i * Lanes));
            Vector256.Store(s1 * Vector256.Load(inputSlopes + ((i + 1) * Lanes)), deltaIn + ((i + 1) * Lanes));
            Vector256.Store(s2 * Vector256.Load(inputSlopes + ((i + 2) * Lanes)), deltaIn + ((i + 2) * Lanes));
            Vector256.Store(s3 * Vector256.Load(inputSlopes + ((i + 3) * Lanes)), deltaIn + ((i + 3) * Lanes));
        }

        for (; i < inWidth; i++)
        {
            var hi = Vector256.Load(input + (i * Lanes));
            var s = Vector256<float>.Zero;
            for (var j = 0; j < outWidth; j++)
            {
                var dz = Vector256.Load(deltaOut + (j * Lanes));
                s = Vector256.FusedMultiplyAdd(Vector256.Create(w[(j * inWidth) + i]), dz, s);
                Accumulate(gw + (((j * inWidth) + i) * Lanes), dz, hi);
            }

            Vector256.Store(s * Vector256.Load(inputSlopes + (i * Lanes)), deltaIn + (i * Lanes));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate(float* accumulator, Vector256<float> a, Vector256<float> b) =>
        Vector256.Store(Vector256.FusedMultiplyAdd(a, b, Vector256.Load(accumulator)), accumulator);
}
