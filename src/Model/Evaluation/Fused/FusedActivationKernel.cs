using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using LearnedActivation.Model.Bases.Simd;
using LearnedActivation.Model.Configuration;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Evaluation.Fused;

/// <summary>
/// The activation network <c>1 -> h1 -> ... -> hk -> 1</c> computed for many scalars at a time, all layers in one
/// pass. Where the CPU accelerates Vector512 (AVX-512) the work goes to <see cref="FusedBlockKernel512"/> (blocks of
/// 128 scalars, register-tiled, optionally keeping forward state for backward: <see cref="SavedFloats"/>); the rest
/// of this class is the 8-lane path other CPUs run. Relu networks with two or more hidden layers go, on calls of
/// <see cref="ReluSegmentedKernel.MinScalars"/> scalars or more, to <see cref="ReluSegmentedKernel"/>, which collapses
/// the first two layers into one per segment of the x axis and runs the collapsed network through one of these
/// kernels. The 8-lane path, described here: 8 scalars at a time (one Vector256 lane
/// each), all layers in one pass: a scalar's hidden values live in a few KB of stack while it is processed and
/// are never written out. Backward recomputes them instead of storing ~56 floats per scalar.
/// Weight gradients are summed per lane in float over blocks of <see cref="FlushGroups"/> groups, then added to
/// double totals lane by lane: a fixed order (bitwise reproducible) and double-precision accuracy over long sums.
/// Several threads split the scalars into fixed chunks when libtorch is allowed more than one (a run's
/// TorchThreads). One instance holds a snapshot of the weights taken at forward time; it is immutable and
/// thread-safe.
/// </summary>
internal sealed unsafe class FusedActivationKernel
{
    private const int Lanes = 8;
    private const int FlushGroups = 64;
    private const int MinChunk = 4096;
    private const int NoPlan = -1;        // first int of a segmented call's saved state when forward ran every layer

    private readonly BaseActivation _base;
    private readonly int[] _widths;       // [1, h1, ..., hk, 1]
    private readonly float[][] _weights;  // layer l: [widths[l+1], widths[l]] row-major, as nn.Linear stores it
    private readonly float[][] _biases;
    private readonly int[] _hiddenOffsets; // floats from the start of a group's hidden buffer to layer l's values
    private readonly int _hiddenFloats;
    private readonly FusedBlockKernel512? _wide;
    private readonly ReluSegmentedKernel? _segmented;

    /// <param name="allowVector512">
    /// Use the AVX-512 block kernel where the hardware accelerates it (the default); false keeps the 8-lane path,
    /// which is what other CPUs run (tests compare the two).
    /// </param>
    /// <param name="segmentRelu">
    /// For relu networks with two or more hidden layers, compute calls of at least
    /// <see cref="ReluSegmentedKernel.MinScalars"/> scalars by collapsing the first layer segment by segment (the
    /// default; <see cref="ReluSegmentedKernel"/>); false always runs every layer per scalar.
    /// </param>
    public FusedActivationKernel(BaseActivation baseActivation, float[][] weights, float[][] biases, bool allowVector512 = true, bool segmentRelu = true)
    {
        _base = Enum.IsDefined(baseActivation) ? baseActivation : throw new ArgumentOutOfRangeException(nameof(baseActivation), baseActivation, "unknown base activation");
        _weights = weights;
        _biases = biases;
        _widths = new int[weights.Length + 1];
        _widths[0] = 1;
        for (var l = 0; l < weights.Length; l++)
        {
            _widths[l + 1] = biases[l].Length;
            if (weights[l].Length != _widths[l + 1] * _widths[l])
            {
                throw new ArgumentException($"layer {l}: {weights[l].Length} weights for {_widths[l]} -> {_widths[l + 1]}");
            }
        }

        if (_widths[^1] != 1)
        {
            throw new ArgumentException($"the last layer must have one output (has {_widths[^1]})");
        }

        _hiddenOffsets = new int[weights.Length];
        for (var l = 0; l + 1 < weights.Length; l++)
        {
            _hiddenOffsets[l + 1] = _hiddenOffsets[l] + (_widths[l + 1] * Lanes);
        }

        _hiddenFloats = _hiddenOffsets[^1];
        _wide = allowVector512 && Vector512.IsHardwareAccelerated ? new FusedBlockKernel512(_base, _widths, weights, biases) : null;
        _segmented = segmentRelu && _base == BaseActivation.Relu && weights.Length >= 3 ? new ReluSegmentedKernel(weights, biases, allowVector512) : null;
    }

    /// <summary>Whether this instance runs the AVX-512 block kernel.</summary>
    public bool UsesVector512 => _wide is not null;

    /// <summary>The weights per layer, [out, in] row-major (shared, not copied: do not modify).</summary>
    public float[][] Weights => _weights;

    public float[][] Biases => _biases;

    private int LayerCount => _weights.Length;

    /// <summary>A kernel over copies of the tensors' values: W0, b0, W1, b1, ... (float32, contiguous or not).</summary>
    public static FusedActivationKernel FromTensors(BaseActivation baseActivation, IReadOnlyList<Tensor> weightsAndBiases)
    {
        var layers = weightsAndBiases.Count / 2;
        var weights = new float[layers][];
        var biases = new float[layers][];
        for (var l = 0; l < layers; l++)
        {
            weights[l] = Values(weightsAndBiases[2 * l]);
            biases[l] = Values(weightsAndBiases[(2 * l) + 1]);
        }

        return new FusedActivationKernel(baseActivation, weights, biases);
    }

    private static float[] Values(Tensor tensor) => MemoryMarshal.Cast<byte, float>(tensor.contiguous().bytes).ToArray();

    /// <summary>
    /// Floats of forward state that <see cref="Forward"/> can keep for <see cref="Backward"/> on
    /// <paramref name="count"/> scalars: the segmented relu's grouping where that path runs, else the AVX-512 path's
    /// hidden layers (0 where nothing is kept: the 8-lane path, or one hidden layer).
    /// </summary>
    public int SavedFloats(int count) => Segmented(count) ? _segmented!.SavedFloats(count) : _wide?.SavedFloats(count) ?? 0;

    /// <summary>Whether a call on <paramref name="count"/> scalars goes to <see cref="ReluSegmentedKernel"/>.</summary>
    private bool Segmented(int count) => _segmented is not null && count >= ReluSegmentedKernel.MinScalars;

    /// <summary>
    /// y = f(x) for every element, on up to <paramref name="threads"/> threads. A <paramref name="saved"/> buffer of
    /// <see cref="SavedFloats"/> floats receives state that spares <see cref="Backward"/> most of its recomputation.
    /// </summary>
    public void Forward(ReadOnlySpan<float> x, Span<float> y, int threads = 1, Span<float> saved = default)
    {
        if (y.Length != x.Length)
        {
            throw new ArgumentException($"{x.Length} inputs but room for {y.Length} outputs");
        }

        CheckSaved(saved.Length, x.Length);
        if (Segmented(x.Length))
        {
            if (SegmentedForward(x, y, threads, saved))
            {
                return;
            }

            saved = default; // non-finite inputs: every layer per scalar
        }

        var firstSaved = _wide?.FirstSavedLayer(x.Length) ?? 0;
        fixed (float* xs = x, ys = y, ss = saved)
        {
            var (inputs, outputs, state) = ((nint)xs, (nint)ys, (nint)ss);
            var chunks = Chunks(x.Length, threads);
            if (chunks.Length == 2)
            {
                ForwardRange((float*)inputs, (float*)outputs, x.Length, (float*)state, firstSaved);
                return;
            }

            Parallel.For(0, chunks.Length - 1, c =>
                ForwardRange((float*)inputs + chunks[c], (float*)outputs + chunks[c], chunks[c + 1] - chunks[c], SavedAt((float*)state, chunks[c], firstSaved), firstSaved));
        }
    }

    /// <summary>
    /// Given dL/dy (<paramref name="upstream"/>), writes dL/dx and returns dL/dW, dL/db for every layer
    /// (shapes as the weights), recomputing the forward pass. With several threads each takes a fixed chunk and
    /// the chunks' sums are added in chunk order, so the result depends on the thread count, not on timing (the
    /// segmented relu path adds per segment in segment order: the same result on any thread count).
    /// </summary>
    public (float[][] WeightGrads, float[][] BiasGrads) Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> upstream, Span<float> gradX, int threads = 1, ReadOnlySpan<float> saved = default)
    {
        if (upstream.Length != x.Length || gradX.Length != x.Length)
        {
            throw new ArgumentException($"{x.Length} inputs, {upstream.Length} upstream gradients, room for {gradX.Length} input gradients");
        }

        CheckSaved(saved.Length, x.Length);
        if (Segmented(x.Length))
        {
            var sums = SegmentedBackward(x, upstream, gradX, threads, saved);
            if (sums is { } found)
            {
                return ([.. found.Weights.Select(ToFloats)], [.. found.Biases.Select(ToFloats)]);
            }

            saved = default; // non-finite inputs: every layer per scalar
        }

        var firstSaved = _wide?.FirstSavedLayer(x.Length) ?? 0;
        var chunks = Chunks(x.Length, threads);
        var totals = new (double[][] Weights, double[][] Biases)[chunks.Length - 1];
        fixed (float* xs = x, gs = upstream, dxs = gradX, ss = saved)
        {
            var (inputs, grads, inputGrads, state) = ((nint)xs, (nint)gs, (nint)dxs, (nint)ss);
            if (totals.Length == 1)
            {
                totals[0] = BackwardRange((float*)inputs, (float*)grads, (float*)inputGrads, x.Length, (float*)state, firstSaved);
            }
            else
            {
                Parallel.For(0, totals.Length, c =>
                    totals[c] = BackwardRange((float*)inputs + chunks[c], (float*)grads + chunks[c], (float*)inputGrads + chunks[c], chunks[c + 1] - chunks[c], SavedAt((float*)state, chunks[c], firstSaved), firstSaved));
            }
        }

        var weightGrads = new float[_weights.Length][];
        var biasGrads = new float[_biases.Length][];
        for (var l = 0; l < _weights.Length; l++)
        {
            weightGrads[l] = Sum(totals.Select(t => t.Weights[l]));
            biasGrads[l] = Sum(totals.Select(t => t.Biases[l]));
        }

        return (weightGrads, biasGrads);
    }

    /// <summary>
    /// Forward through <see cref="ReluSegmentedKernel"/>: its plan (segments, sort order) is the saved state, or a
    /// pooled temporary without one. False for non-finite inputs, with the saved state marked so for backward.
    /// </summary>
    private bool SegmentedForward(ReadOnlySpan<float> x, Span<float> y, int threads, Span<float> saved)
    {
        var temporary = saved.IsEmpty ? ArrayPool<float>.Shared.Rent(_segmented!.SavedFloats(x.Length)) : null;
        try
        {
            var plan = temporary is null ? saved : temporary.AsSpan(0, _segmented!.SavedFloats(x.Length));
            if (_segmented!.TryPlan(x, plan))
            {
                _segmented.Forward(y, threads, plan);
                return true;
            }

            MemoryMarshal.Cast<float, int>(plan)[0] = NoPlan;
            return false;
        }
        finally
        {
            if (temporary is not null)
            {
                ArrayPool<float>.Shared.Return(temporary);
            }
        }
    }

    /// <summary>Backward through <see cref="ReluSegmentedKernel"/> (planning again without saved state); null for non-finite inputs.</summary>
    private (double[][] Weights, double[][] Biases)? SegmentedBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> upstream, Span<float> gradX, int threads, ReadOnlySpan<float> saved)
    {
        if (!saved.IsEmpty)
        {
            return MemoryMarshal.Cast<float, int>(saved)[0] == NoPlan ? null : _segmented!.Backward(upstream, gradX, threads, saved);
        }

        var temporary = ArrayPool<float>.Shared.Rent(_segmented!.SavedFloats(x.Length));
        try
        {
            var plan = temporary.AsSpan(0, _segmented.SavedFloats(x.Length));
            return _segmented.TryPlan(x, plan) ? _segmented.Backward(upstream, gradX, threads, plan) : null;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(temporary);
        }
    }

    private void CheckSaved(int length, int count)
    {
        if (length != 0 && length != SavedFloats(count))
        {
            throw new ArgumentException($"saved state for {count} scalars takes {SavedFloats(count)} floats, got {length}");
        }
    }

    /// <summary>Where the saved state of the chunk starting at scalar <paramref name="start"/> (a block boundary) begins.</summary>
    private float* SavedAt(float* saved, int start, int firstSaved) => saved == null ? null : saved + ((long)start * _wide!.SavedFloatsPerScalar(firstSaved));

    /// <summary>
    /// Chunk boundaries: one chunk per thread, each a whole number of groups (8 lanes, or the AVX-512 path's
    /// blocks of 64, so that saved state is laid out per block) and at least <see cref="MinChunk"/> scalars
    /// (below that, a thread costs more than it saves).
    /// </summary>
    private int[] Chunks(int count, int threads)
    {
        var granularity = _wide is null ? Lanes : FusedBlockKernel512.BlockSize;
        var chunks = Math.Clamp(Math.Min(threads, count / MinChunk), 1, 64);
        var groups = (count + granularity - 1) / granularity;
        var bounds = new int[chunks + 1];
        for (var c = 1; c < chunks; c++)
        {
            bounds[c] = (int)((long)groups * c / chunks) * granularity;
        }

        bounds[chunks] = count;
        return bounds;
    }

    /// <summary>
    /// dL/dx and the double sums of dL/dW, dL/db on one thread, nothing saved (<see cref="ReluSegmentedKernel"/>
    /// runs its collapsed networks through this and adds their sums in its own order).
    /// </summary>
    internal (double[][] Weights, double[][] Biases) BackwardSums(ReadOnlySpan<float> x, ReadOnlySpan<float> upstream, Span<float> gradX)
    {
        fixed (float* xs = x, gs = upstream, dxs = gradX)
        {
            return BackwardRange(xs, gs, dxs, x.Length, null, 0);
        }
    }

    private static float[] ToFloats(double[] sums) => [.. sums.Select(v => (float)v)];

    private static float[] Sum(IEnumerable<double[]> parts)
    {
        double[]? total = null;
        foreach (var part in parts)
        {
            if (total is null)
            {
                total = (double[])part.Clone();
            }
            else
            {
                for (var i = 0; i < total.Length; i++)
                {
                    total[i] += part[i];
                }
            }
        }

        return [.. total!.Select(v => (float)v)];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ForwardRange(float* xs, float* ys, int count, float* saved, int firstSaved)
    {
        if (_wide is not null)
        {
            _wide.ForwardRange(xs, ys, count, saved, firstSaved);
            return;
        }

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
    private (double[][] Weights, double[][] Biases) BackwardRange(float* xs, float* gs, float* dxs, int count, float* saved, int firstSaved)
    {
        if (_wide is not null)
        {
            return _wide.BackwardRange(xs, gs, dxs, count, saved, firstSaved);
        }

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

            Flush(blockWeightGrads, weightTotals);
            Flush(blockBiasGrads, biasTotals);
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

    /// <summary>Adds each block accumulator's 8 lanes, in lane order, to its double total and clears it.</summary>
    private static void Flush(float[][] block, double[][] totals)
    {
        for (var l = 0; l < block.Length; l++)
        {
            var lanes = block[l];
            var total = totals[l];
            for (var p = 0; p < total.Length; p++)
            {
                var sum = 0.0;
                for (var lane = 0; lane < Lanes; lane++)
                {
                    sum += lanes[(p * Lanes) + lane];
                }

                total[p] += sum;
            }

            Array.Clear(lanes);
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

        VectorMath.Activate(_base, h, d, w0.Length);

        // Hidden -> hidden layers.
        for (var l = 1; l < LayerCount - 1; l++)
        {
            fixed (float* w = _weights[l], b = _biases[l])
            {
                HiddenLayer(w, b, _widths[l], _widths[l + 1], h + _hiddenOffsets[l - 1], h + _hiddenOffsets[l]);
                VectorMath.Activate(_base, h + _hiddenOffsets[l], d + _hiddenOffsets[l], _widths[l + 1]);
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
