using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using LearnedActivation.Model.Bases;

namespace LearnedActivation.Model.Evaluation.Fused;

/// <summary>
/// The AVX-512 path of <see cref="FusedActivationKernel"/>: scalars in blocks of 128 (eight 16-lane vectors), each
/// layer computed for the whole block as small register-tiled matrix products, with the block's hidden values and
/// slopes (2 x 56 x 128 floats for the large network: L1 and L2) stored unit-major. Tiles of 4 units x 4 vectors
/// keep 16 accumulators in registers, so each broadcast weight feeds 4 FMAs and each loaded vector 4 more. Weight
/// gradients are summed per lane in registers over the block's 8 vectors (the tile's 16 accumulators loaded and
/// stored once per block), then in per-lane float accumulators, which are widened to double lane by lane every
/// <see cref="FlushBlocks"/> blocks (64 products per float); the 16 double lanes are added in lane order at the
/// end. Every sum has a fixed order, so results are bitwise reproducible. Blocks of 128 measured fastest: smaller
/// ones pay more per-block overhead, larger ones push the buffers out of L1 (docs/benchmarks.md).
/// </summary>
internal sealed unsafe class FusedBlockKernel512<TBase> : IFusedKernelPath
    where TBase : struct, IBaseActivation
{
    private const int Lanes = 16;
    private const int Block = 128;
    private const int Tile = 64;              // four vectors: the scalars one register tile covers
    private const int FlushBlocks = 8;

    // Bases other than relu keep forward state only up to about the size of a core's L2 cache: measured on this
    // project's largest call, with other work in between as in training, the state is cold by backward, and
    // writing and reloading megabytes of it cost more than recomputing the layers, even gelu's (figures in
    // docs/benchmarks.md, "Saved state"). Relu keeps all but its first layer whatever the size
    // (IBaseActivation.KeepsStateBeyondBudget). (Calls of ReluSegmentedKernel.MinScalars or more on relu networks
    // with two or more hidden layers do not come here: ReluSegmentedKernel runs this kernel on its collapsed
    // networks, without saved state.)
    private const long SavedStateBudgetBytes = 2_000_000;

    private readonly int[] _widths;           // [1, h1, ..., hk, 1]
    private readonly float[] _parameters;     // W0, b0, W1, b1, ... ([out, in] row-major); fixed while a range runs
    private readonly int[] _weightOffsets;
    private readonly int[] _biasOffsets;
    private readonly int[] _unitOffsets;      // floats from the start of a block buffer to hidden layer l's units
    private readonly int _hiddenFloats;

    public FusedBlockKernel512(int[] widths, float[][] weights, float[][] biases)
    {
        _widths = widths;
        var layers = weights.Length;
        _weightOffsets = new int[layers];
        _biasOffsets = new int[layers];
        var total = 0;
        for (var l = 0; l < layers; l++)
        {
            _weightOffsets[l] = total;
            total += weights[l].Length;
            _biasOffsets[l] = total;
            total += biases[l].Length;
        }

        // Not on the pinned heap: a kernel is made per call, and pinned-heap allocations measured ~25 us each (they
        // are collected with generation 2 only); the ranges fix the array while they run instead.
        _parameters = GC.AllocateUninitializedArray<float>(total);
        for (var l = 0; l < layers; l++)
        {
            weights[l].CopyTo(_parameters, _weightOffsets[l]);
            biases[l].CopyTo(_parameters, _biasOffsets[l]);
        }

        _unitOffsets = new int[layers];
        for (var l = 0; l + 1 < layers; l++)
        {
            _unitOffsets[l + 1] = _unitOffsets[l] + (widths[l + 1] * Block);
        }

        _hiddenFloats = _unitOffsets[^1];
    }

    /// <summary>Scalars per block; chunks handed to different threads start on block boundaries.</summary>
    public int Granularity => Block;

    public bool UsesVector512 => true;

    // Where the slope is not a cheap function of the value (gelu, for one), forward keeps slopes too.
    private static bool SavesSlopes => !TBase.SlopeFromValue;

    /// <summary>
    /// The first hidden layer whose values (and slopes, where they do not follow from the values) forward keeps for
    /// backward on a call of <paramref name="count"/> scalars; backward recomputes the layers before it. Relu: 1 (all
    /// but the first, which costs less to recompute than to reload). Other bases: the earliest layer from which on the state stays
    /// within <see cref="SavedStateBudgetBytes"/>, or the number of hidden layers (nothing kept) where even the last
    /// alone is too large.
    /// </summary>
    public int FirstSavedLayer(int count)
    {
        if (TBase.KeepsStateBeyondBudget)
        {
            return Math.Min(1, LayerCount - 1);
        }

        for (var first = 0; first < LayerCount - 1; first++)
        {
            if ((long)count * SavedFloatsPerScalar(first) * sizeof(float) <= SavedStateBudgetBytes)
            {
                return first;
            }
        }

        return LayerCount - 1;
    }

    /// <summary>Floats of forward state per scalar when hidden layers from <paramref name="firstSaved"/> on are kept.</summary>
    public int SavedFloatsPerScalar(int firstSaved) => (_hiddenFloats - _unitOffsets[firstSaved]) / Block * (SavesSlopes ? 2 : 1);

    /// <summary>
    /// Floats of forward state that <see cref="ForwardRange"/> keeps for <see cref="BackwardRange"/> on a call of
    /// <paramref name="count"/> scalars (whole blocks).
    /// </summary>
    public int SavedFloats(int count) => (count + Block - 1) / Block * Block * SavedFloatsPerScalar(FirstSavedLayer(count));

    private int LayerCount => _weightOffsets.Length;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void ForwardRange(float* xs, float* ys, int count, float* saved, int firstSaved)
    {
        var scratch = (float*)NativeMemory.AlignedAlloc((nuint)((_hiddenFloats + (2 * Block)) * sizeof(float)), 64);
        var values = stackalloc float*[LayerCount - 1];
        var slopes = stackalloc float*[LayerCount - 1];
        try
        {
            fixed (float* parameters = _parameters)
            {
                var h = scratch;
                var xBlock = h + _hiddenFloats;
                var yBlock = xBlock + Block;
                for (var n = 0; n < count; n += Block)
                {
                    // With saved state, the kept hidden layers are written straight into it (with their slopes where kept).
                    var kept = saved == null ? null : saved + ((long)n * SavedFloatsPerScalar(firstSaved));
                    Layout(values, slopes, h, null, kept, kept != null && SavesSlopes, firstSaved);
                    var rest = Math.Min(Block, count - n);
                    if (rest == Block)
                    {
                        ForwardBlock(parameters, xs + n, values, slopes, ys + n, LayerCount - 1);
                    }
                    else
                    {
                        Pad(xs + n, rest, xBlock);
                        ForwardBlock(parameters, xBlock, values, slopes, yBlock, LayerCount - 1);
                        new ReadOnlySpan<float>(yBlock, rest).CopyTo(new Span<float>(ys + n, rest));
                    }
                }
            }
        }
        finally
        {
            NativeMemory.AlignedFree(scratch);
        }
    }

    /// <summary>
    /// Where each hidden layer's values and slopes are for one block: the scratch buffers, or for the kept layers
    /// (from <paramref name="firstSaved"/> on) the block's saved state where there is one (slopes there only where
    /// <paramref name="slopesKept"/>). Relu's and tanh's "slopes" are their values (IActivation512.SlopeFromValue).
    /// </summary>
    private void Layout(float** values, float** slopes, float* h, float* d, float* kept, bool slopesKept, int firstSaved)
    {
        var keep = _hiddenFloats - _unitOffsets[firstSaved];
        for (var l = 0; l < LayerCount - 1; l++)
        {
            // relu and tanh derive their slopes from their values (IActivation512.SlopeFromValue): "slopes" point there.
            var scratchSlopes = d == null ? null : d + _unitOffsets[l];
            if (l < firstSaved || kept == null)
            {
                values[l] = h + _unitOffsets[l];
                slopes[l] = SavesSlopes ? scratchSlopes : values[l];
            }
            else
            {
                var at = _unitOffsets[l] - _unitOffsets[firstSaved];
                values[l] = kept + at;
                slopes[l] = !SavesSlopes ? values[l] : slopesKept ? kept + keep + at : scratchSlopes;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public (double[][] Weights, double[][] Biases) BackwardRange(float* xs, float* gs, float* dxs, int count, float* saved, int firstSaved)
    {
        var parameterCount = _parameters.Length;
        var scratchFloats = (2 * _hiddenFloats) + (3 * Block) + (parameterCount * Lanes);
        var scratch = (float*)NativeMemory.AlignedAlloc((nuint)(scratchFloats * sizeof(float)), 64);
        var laneTotals = (double*)NativeMemory.AlignedAlloc((nuint)(parameterCount * Lanes * sizeof(double)), 64);
        try
        {
            var h = scratch;
            var d = h + _hiddenFloats;
            var xBlock = d + _hiddenFloats;
            var gBlock = xBlock + Block;
            var dxBlock = gBlock + Block;
            var laneGrads = dxBlock + Block;
            new Span<float>(laneGrads, parameterCount * Lanes).Clear();
            var flushed = false; // laneTotals is cleared on the first flush: calls of FlushBlocks blocks or fewer never need it

            var values = stackalloc float*[LayerCount - 1];
            var slopes = stackalloc float*[LayerCount - 1];
            var blocks = 0;
            fixed (float* parameters = _parameters)
            {
                for (var n = 0; n < count; n += Block)
                {
                    var rest = Math.Min(Block, count - n);
                    var kept = saved == null ? null : saved + ((long)n * SavedFloatsPerScalar(firstSaved));
                    Layout(values, slopes, h, d, kept, SavesSlopes, firstSaved);
                    if (rest == Block)
                    {
                        BackwardBlock(parameters, xs + n, gs + n, dxs + n, values, slopes, d, laneGrads, kept == null ? LayerCount - 1 : firstSaved);
                    }
                    else
                    {
                        // Padding gets a zero upstream gradient, so it adds nothing to the weight gradients.
                        Pad(xs + n, rest, xBlock);
                        Pad(gs + n, rest, gBlock);
                        BackwardBlock(parameters, xBlock, gBlock, dxBlock, values, slopes, d, laneGrads, kept == null ? LayerCount - 1 : firstSaved);
                        new ReadOnlySpan<float>(dxBlock, rest).CopyTo(new Span<float>(dxs + n, rest));
                    }

                    if (++blocks == FlushBlocks && n + Block < count)
                    {
                        if (!flushed)
                        {
                            new Span<double>(laneTotals, parameterCount * Lanes).Clear();
                            flushed = true;
                        }

                        Flush(laneGrads, laneTotals, parameterCount);
                        blocks = 0;
                    }
                }
            }

            if (!flushed)
            {
                // One flush into cleared totals would widen each float exactly: widening in the reduction is the same.
                return Totals(laneGrads);
            }

            Flush(laneGrads, laneTotals, parameterCount);
            return Totals(laneTotals);
        }
        finally
        {
            NativeMemory.AlignedFree(scratch);
            NativeMemory.AlignedFree(laneTotals);
        }
    }

    private static void Pad(float* source, int count, float* block)
    {
        new ReadOnlySpan<float>(source, count).CopyTo(new Span<float>(block, Block));
        new Span<float>(block + count, Block - count).Clear();
    }

    /// <summary>Widens every per-lane float accumulator to double, adds it to its lane total and clears it.</summary>
    private static void Flush(float* laneGrads, double* laneTotals, int parameterCount)
    {
        for (var p = 0; p < parameterCount * Lanes; p += Lanes)
        {
            var (lower, upper) = Vector512.Widen(Vector512.Load(laneGrads + p));
            Vector512.Store(Vector512.Load(laneTotals + p) + lower, laneTotals + p);
            Vector512.Store(Vector512.Load(laneTotals + p + 8) + upper, laneTotals + p + 8);
            Vector512.Store(Vector512<float>.Zero, laneGrads + p);
        }
    }

    /// <summary>Each parameter's 16 lane totals added in lane order, split back into weights and biases per layer.</summary>
    private (double[][] Weights, double[][] Biases) Totals<T>(T* laneTotals)
        where T : unmanaged, INumberBase<T>
    {
        var weights = new double[LayerCount][];
        var biases = new double[LayerCount][];
        for (var l = 0; l < LayerCount; l++)
        {
            weights[l] = Reduce(laneTotals, _weightOffsets[l], _biasOffsets[l] - _weightOffsets[l]);
            biases[l] = Reduce(laneTotals, _biasOffsets[l], _widths[l + 1]);
        }

        return (weights, biases);
    }

    /// <summary>
    /// Per parameter from <paramref name="offset"/> on (<paramref name="count"/> of them), its <see cref="Lanes"/> lane
    /// totals (stored parameter by parameter) added in lane order, in double.
    /// </summary>
    internal static double[] Reduce<T>(T* laneTotals, int offset, int count)
        where T : unmanaged, INumberBase<T>
    {
        var result = new double[count];
        var p = 0;
        if (typeof(T) == typeof(float))
        {
            // Float lanes (calls of a few blocks: every grid call): eight parameters at a time, one per double lane.
            // A gather fetches lane k of all eight, widened, and the sums add lanes 0, 1, ..., 15 in order, as one
            // parameter at a time does (the same bits). Scalar sums here waited on each float's widening in turn,
            // and a grid call's backward spent a third of its time in them.
            var stride = Vector256.Create(0, Lanes, 2 * Lanes, 3 * Lanes, 4 * Lanes, 5 * Lanes, 6 * Lanes, 7 * Lanes);
            for (; p + 8 <= count; p += 8)
            {
                var lanes = (float*)laneTotals + ((offset + p) * Lanes);
                var sum = Vector512<double>.Zero;
                for (var lane = 0; lane < Lanes; lane++)
                {
                    sum += Avx512F.ConvertToVector512Double(Avx2.GatherVector256(lanes + lane, stride, sizeof(float)));
                }

                sum.CopyTo(result.AsSpan(p));
            }
        }

        // Four parameters at a time: each sum still runs over its lanes in order, but four chains of adds overlap
        // instead of each waiting on the one before.
        for (; p + 4 <= count; p += 4)
        {
            var lanes = laneTotals + ((offset + p) * Lanes);
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            for (var lane = 0; lane < Lanes; lane++)
            {
                s0 += double.CreateTruncating(lanes[lane]);
                s1 += double.CreateTruncating(lanes[Lanes + lane]);
                s2 += double.CreateTruncating(lanes[(2 * Lanes) + lane]);
                s3 += double.CreateTruncating(lanes[(3 * Lanes) + lane]);
            }

            (result[p], result[p + 1], result[p + 2], result[p + 3]) = (s0, s1, s2, s3);
        }

        for (; p < count; p++)
        {
            var lanes = laneTotals + ((offset + p) * Lanes);
            var sum = 0.0;
            for (var lane = 0; lane < Lanes; lane++)
            {
                sum += double.CreateTruncating(lanes[lane]);
            }

            result[p] = sum;
        }

        return result;
    }

    /// <summary>
    /// Forward pass of one block for one base: the first <paramref name="hiddenLayers"/> hidden layers' values to
    /// values[l] and, where slopes[l] is not null, their slopes there (backward: the layers before the saved ones,
    /// or all), then the output to <paramref name="y"/> unless that is null (backward needs no output).
    /// </summary>
    private void ForwardBlock(float* parameters, float* x, float** values, float** slopes, float* y, int hiddenLayers)
    {
        if (hiddenLayers == 0)
        {
            return;
        }

        var h = values[0];
        var d = TBase.SlopeFromValue ? null : slopes[0];

        // First layer: 1 -> h1, one multiply-add per unit and vector.
        var w0 = parameters + _weightOffsets[0];
        var b0 = parameters + _biasOffsets[0];
        for (var q = 0; q < Block; q += Tile)
        {
            var x0 = Vector512.Load(x + q);
            var x1 = Vector512.Load(x + q + Lanes);
            var x2 = Vector512.Load(x + q + (2 * Lanes));
            var x3 = Vector512.Load(x + q + (3 * Lanes));
            for (var j = 0; j < _widths[1]; j++)
            {
                var w = Vector512.Create(w0[j]);
                var b = Vector512.Create(b0[j]);
                var at = (j * Block) + q;
                if (TBase.InRegisters)
                {
                    Store4<TBase>(Vector512.FusedMultiplyAdd(w, x0, b), Vector512.FusedMultiplyAdd(w, x1, b), Vector512.FusedMultiplyAdd(w, x2, b), Vector512.FusedMultiplyAdd(w, x3, b), h + at, d == null ? null : d + at);
                }
                else
                {
                    Store4(Vector512.FusedMultiplyAdd(w, x0, b), Vector512.FusedMultiplyAdd(w, x1, b), Vector512.FusedMultiplyAdd(w, x2, b), Vector512.FusedMultiplyAdd(w, x3, b), h + at);
                }
            }
        }

        if (!TBase.InRegisters)
        {
            Activate(h, d, _widths[1] * (Block / Lanes));
        }

        for (var l = 1; l < hiddenLayers; l++)
        {
            for (var q = 0; q < Block; q += Tile)
            {
                Dense<TBase>(parameters + _weightOffsets[l], parameters + _biasOffsets[l], _widths[l], _widths[l + 1], values[l - 1] + q, values[l] + q, TBase.SlopeFromValue || slopes[l] == null ? null : slopes[l] + q);
            }
        }

        if (y == null)
        {
            return;
        }

        // Last layer: hk -> 1, no activation.
        var last = LayerCount - 1;
        var wLast = parameters + _weightOffsets[last];
        for (var q = 0; q < Block; q += Tile)
        {
            var input = values[last - 1] + q;
            var a0 = Vector512.Create(parameters[_biasOffsets[last]]);
            var (a1, a2, a3) = (a0, a0, a0);
            for (var i = 0; i < _widths[last]; i++)
            {
                var w = Vector512.Create(wLast[i]);
                var unit = input + (i * Block);
                a0 = Vector512.FusedMultiplyAdd(w, Vector512.Load(unit), a0);
                a1 = Vector512.FusedMultiplyAdd(w, Vector512.Load(unit + Lanes), a1);
                a2 = Vector512.FusedMultiplyAdd(w, Vector512.Load(unit + (2 * Lanes)), a2);
                a3 = Vector512.FusedMultiplyAdd(w, Vector512.Load(unit + (3 * Lanes)), a3);
            }

            Store4(a0, a1, a2, a3, y + q);
        }
    }

    /// <summary>h_out = sigma(W h_in + b) (and sigma' unless slopes is null) for one tile: 4 output units x 4 vectors at a time.</summary>
    private static void Dense<TActivation>(float* w, float* b, int inWidth, int outWidth, float* input, float* output, float* slopes)
        where TActivation : struct, IActivation512
    {
        if (TActivation.InRegisters)
        {
            DenseTiles<TActivation>(w, b, inWidth, outWidth, input, output, slopes);
            return;
        }

        DenseTiles<Identity512>(w, b, inWidth, outWidth, input, output, null);
        for (var j = 0; j < outWidth; j++)
        {
            var at = j * Block;
            Store4<TActivation>(Vector512.Load(output + at), Vector512.Load(output + at + Lanes), Vector512.Load(output + at + (2 * Lanes)), Vector512.Load(output + at + (3 * Lanes)), output + at, slopes == null ? null : slopes + at);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DenseTiles<TActivation>(float* w, float* b, int inWidth, int outWidth, float* input, float* output, float* slopes)
        where TActivation : struct, IActivation512
    {
        var j = 0;
        for (; j + 4 <= outWidth; j += 4)
        {
            var r0 = w + (j * inWidth);
            var r1 = r0 + inWidth;
            var r2 = r1 + inWidth;
            var r3 = r2 + inWidth;
            var a00 = Vector512.Create(b[j]);
            var a10 = Vector512.Create(b[j + 1]);
            var a20 = Vector512.Create(b[j + 2]);
            var a30 = Vector512.Create(b[j + 3]);
            var (a01, a02, a03) = (a00, a00, a00);
            var (a11, a12, a13) = (a10, a10, a10);
            var (a21, a22, a23) = (a20, a20, a20);
            var (a31, a32, a33) = (a30, a30, a30);
            for (var i = 0; i < inWidth; i++)
            {
                var unit = input + (i * Block);
                var v0 = Vector512.Load(unit);
                var v1 = Vector512.Load(unit + Lanes);
                var v2 = Vector512.Load(unit + (2 * Lanes));
                var v3 = Vector512.Load(unit + (3 * Lanes));
                var c = Vector512.Create(r0[i]);
                a00 = Vector512.FusedMultiplyAdd(c, v0, a00);
                a01 = Vector512.FusedMultiplyAdd(c, v1, a01);
                a02 = Vector512.FusedMultiplyAdd(c, v2, a02);
                a03 = Vector512.FusedMultiplyAdd(c, v3, a03);
                c = Vector512.Create(r1[i]);
                a10 = Vector512.FusedMultiplyAdd(c, v0, a10);
                a11 = Vector512.FusedMultiplyAdd(c, v1, a11);
                a12 = Vector512.FusedMultiplyAdd(c, v2, a12);
                a13 = Vector512.FusedMultiplyAdd(c, v3, a13);
                c = Vector512.Create(r2[i]);
                a20 = Vector512.FusedMultiplyAdd(c, v0, a20);
                a21 = Vector512.FusedMultiplyAdd(c, v1, a21);
                a22 = Vector512.FusedMultiplyAdd(c, v2, a22);
                a23 = Vector512.FusedMultiplyAdd(c, v3, a23);
                c = Vector512.Create(r3[i]);
                a30 = Vector512.FusedMultiplyAdd(c, v0, a30);
                a31 = Vector512.FusedMultiplyAdd(c, v1, a31);
                a32 = Vector512.FusedMultiplyAdd(c, v2, a32);
                a33 = Vector512.FusedMultiplyAdd(c, v3, a33);
            }

            Store4<TActivation>(a00, a01, a02, a03, output + (j * Block), slopes == null ? null : slopes + (j * Block));
            Store4<TActivation>(a10, a11, a12, a13, output + ((j + 1) * Block), slopes == null ? null : slopes + ((j + 1) * Block));
            Store4<TActivation>(a20, a21, a22, a23, output + ((j + 2) * Block), slopes == null ? null : slopes + ((j + 2) * Block));
            Store4<TActivation>(a30, a31, a32, a33, output + ((j + 3) * Block), slopes == null ? null : slopes + ((j + 3) * Block));
        }

        for (; j < outWidth; j++)
        {
            var row = w + (j * inWidth);
            var a0 = Vector512.Create(b[j]);
            var (a1, a2, a3) = (a0, a0, a0);
            for (var i = 0; i < inWidth; i++)
            {
                var unit = input + (i * Block);
                var c = Vector512.Create(row[i]);
                a0 = Vector512.FusedMultiplyAdd(c, Vector512.Load(unit), a0);
                a1 = Vector512.FusedMultiplyAdd(c, Vector512.Load(unit + Lanes), a1);
                a2 = Vector512.FusedMultiplyAdd(c, Vector512.Load(unit + (2 * Lanes)), a2);
                a3 = Vector512.FusedMultiplyAdd(c, Vector512.Load(unit + (3 * Lanes)), a3);
            }

            Store4<TActivation>(a0, a1, a2, a3, output + (j * Block), slopes == null ? null : slopes + (j * Block));
        }
    }

    /// <summary>
    /// Backward pass of one block with upstream gradient g: writes dL/dx, adds to the per-lane gradients. Deltas
    /// (dL/dz) go to d, layer by layer, never over saved state.
    /// </summary>
    private void BackwardBlock(float* parameters, float* x, float* g, float* dx, float** values, float** slopes, float* d, float* laneGrads, int hiddenLayers)
    {
        ForwardBlock(parameters, x, values, slopes, null, hiddenLayers);

        // Last layer: dL/dw_i = g h_k,i; dL/db = g; delta_k,i = g w_i sigma'(z_k,i).
        var last = LayerCount - 1;
        for (var q = 0; q < Block; q += Tile)
        {
            LastLayerBackward<TBase>(parameters + _weightOffsets[last], laneGrads + (_weightOffsets[last] * Lanes), laneGrads + (_biasOffsets[last] * Lanes), g + q, values[last - 1] + q, slopes[last - 1] + q, d + _unitOffsets[last - 1] + q, _widths[last]);
        }

        // Hidden layers, last to second: dL/dW_l = delta_l h_{l-1}^T; delta_{l-1} = (W_l^T delta_l) * sigma'(z_{l-1}).
        for (var l = last - 1; l >= 1; l--)
        {
            var deltaOut = d + _unitOffsets[l];
            WeightGradients(deltaOut, values[l - 1], laneGrads + (_weightOffsets[l] * Lanes), laneGrads + (_biasOffsets[l] * Lanes), _widths[l], _widths[l + 1]);
            for (var q = 0; q < Block; q += Tile)
            {
                DeltaBackward<TBase>(parameters + _weightOffsets[l], deltaOut + q, slopes[l - 1] + q, d + _unitOffsets[l - 1] + q, _widths[l], _widths[l + 1]);
            }
        }

        for (var q = 0; q < Block; q += Tile)
        {
            FirstLayerBackward(parameters + _weightOffsets[0], laneGrads + (_weightOffsets[0] * Lanes), laneGrads + (_biasOffsets[0] * Lanes), x + q, d + q, dx + q, _widths[1]);
        }
    }

    /// <summary>Last layer on one tile: adds dL/dw = g h and dL/db = g; writes delta = g w sigma'(z).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LastLayerBackward<TActivation>(float* w, float* gw, float* gb, float* g, float* h, float* d, float* delta, int width)
        where TActivation : struct, IActivation512
    {
        var g0 = Vector512.Load(g);
        var g1 = Vector512.Load(g + Lanes);
        var g2 = Vector512.Load(g + (2 * Lanes));
        var g3 = Vector512.Load(g + (3 * Lanes));
        for (var i = 0; i < width; i++)
        {
            var hi = h + (i * Block);
            var di = d + (i * Block);
            var ei = delta + (i * Block);
            var accumulator = Vector512.Load(gw + (i * Lanes));
            accumulator = Vector512.FusedMultiplyAdd(g0, Vector512.Load(hi), accumulator);
            accumulator = Vector512.FusedMultiplyAdd(g1, Vector512.Load(hi + Lanes), accumulator);
            accumulator = Vector512.FusedMultiplyAdd(g2, Vector512.Load(hi + (2 * Lanes)), accumulator);
            accumulator = Vector512.FusedMultiplyAdd(g3, Vector512.Load(hi + (3 * Lanes)), accumulator);
            Vector512.Store(accumulator, gw + (i * Lanes));
            var weight = Vector512.Create(w[i]);
            Vector512.Store(TActivation.Delta(g0 * weight, Vector512.Load(di)), ei);
            Vector512.Store(TActivation.Delta(g1 * weight, Vector512.Load(di + Lanes)), ei + Lanes);
            Vector512.Store(TActivation.Delta(g2 * weight, Vector512.Load(di + (2 * Lanes))), ei + (2 * Lanes));
            Vector512.Store(TActivation.Delta(g3 * weight, Vector512.Load(di + (3 * Lanes))), ei + (3 * Lanes));
        }

        Vector512.Store(Vector512.Load(gb) + ((g0 + g1) + (g2 + g3)), gb);
    }

    /// <summary>First layer on one tile: z = w0 x + b0, so dL/dw0 = delta x, dL/db0 = delta, dL/dx = sum_j w0_j delta_j.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FirstLayerBackward(float* w0, float* gw0, float* gb0, float* x, float* d, float* dx, int width)
    {
        var x0 = Vector512.Load(x);
        var x1 = Vector512.Load(x + Lanes);
        var x2 = Vector512.Load(x + (2 * Lanes));
        var x3 = Vector512.Load(x + (3 * Lanes));
        var dx0 = Vector512<float>.Zero;
        var (dx1, dx2, dx3) = (dx0, dx0, dx0);
        for (var j = 0; j < width; j++)
        {
            var unit = d + (j * Block);
            var dz0 = Vector512.Load(unit);
            var dz1 = Vector512.Load(unit + Lanes);
            var dz2 = Vector512.Load(unit + (2 * Lanes));
            var dz3 = Vector512.Load(unit + (3 * Lanes));
            var accumulator = Vector512.Load(gw0 + (j * Lanes));
            accumulator = Vector512.FusedMultiplyAdd(dz0, x0, accumulator);
            accumulator = Vector512.FusedMultiplyAdd(dz1, x1, accumulator);
            accumulator = Vector512.FusedMultiplyAdd(dz2, x2, accumulator);
            accumulator = Vector512.FusedMultiplyAdd(dz3, x3, accumulator);
            Vector512.Store(accumulator, gw0 + (j * Lanes));
            Vector512.Store(Vector512.Load(gb0 + (j * Lanes)) + ((dz0 + dz1) + (dz2 + dz3)), gb0 + (j * Lanes));
            var w = Vector512.Create(w0[j]);
            dx0 = Vector512.FusedMultiplyAdd(w, dz0, dx0);
            dx1 = Vector512.FusedMultiplyAdd(w, dz1, dx1);
            dx2 = Vector512.FusedMultiplyAdd(w, dz2, dx2);
            dx3 = Vector512.FusedMultiplyAdd(w, dz3, dx3);
        }

        Store4(dx0, dx1, dx2, dx3, dx);
    }

    /// <summary>
    /// Adds the block's dL/dW = delta_out h_in^T and dL/db = delta_out to the per-lane accumulators: tiles of
    /// 4 x 4 weights, each accumulator loaded once, given the block's 8 vectors, and stored once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WeightGradients(float* deltaOut, float* input, float* gw, float* gb, int inWidth, int outWidth)
    {
        for (var j = 0; j < outWidth; j++)
        {
            var unit = deltaOut + (j * Block);
            var sum = Vector512.Load(gb + (j * Lanes));
            for (var v = 0; v < Block; v += Tile)
            {
                sum += (Vector512.Load(unit + v) + Vector512.Load(unit + v + Lanes)) + (Vector512.Load(unit + v + (2 * Lanes)) + Vector512.Load(unit + v + (3 * Lanes)));
            }

            Vector512.Store(sum, gb + (j * Lanes));
        }

        var j4 = outWidth / 4 * 4;
        var i4 = inWidth / 4 * 4;
        for (var j = 0; j < j4; j += 4)
        {
            for (var i = 0; i < i4; i += 4)
            {
                var t0 = gw + (((j * inWidth) + i) * Lanes);
                var t1 = t0 + (inWidth * Lanes);
                var t2 = t1 + (inWidth * Lanes);
                var t3 = t2 + (inWidth * Lanes);
                var a00 = Vector512.Load(t0);
                var a01 = Vector512.Load(t0 + Lanes);
                var a02 = Vector512.Load(t0 + (2 * Lanes));
                var a03 = Vector512.Load(t0 + (3 * Lanes));
                var a10 = Vector512.Load(t1);
                var a11 = Vector512.Load(t1 + Lanes);
                var a12 = Vector512.Load(t1 + (2 * Lanes));
                var a13 = Vector512.Load(t1 + (3 * Lanes));
                var a20 = Vector512.Load(t2);
                var a21 = Vector512.Load(t2 + Lanes);
                var a22 = Vector512.Load(t2 + (2 * Lanes));
                var a23 = Vector512.Load(t2 + (3 * Lanes));
                var a30 = Vector512.Load(t3);
                var a31 = Vector512.Load(t3 + Lanes);
                var a32 = Vector512.Load(t3 + (2 * Lanes));
                var a33 = Vector512.Load(t3 + (3 * Lanes));
                for (var v = 0; v < Block; v += Lanes)
                {
                    var e0 = Vector512.Load(deltaOut + (j * Block) + v);
                    var e1 = Vector512.Load(deltaOut + ((j + 1) * Block) + v);
                    var e2 = Vector512.Load(deltaOut + ((j + 2) * Block) + v);
                    var e3 = Vector512.Load(deltaOut + ((j + 3) * Block) + v);
                    var u = Vector512.Load(input + (i * Block) + v);
                    a00 = Vector512.FusedMultiplyAdd(e0, u, a00);
                    a10 = Vector512.FusedMultiplyAdd(e1, u, a10);
                    a20 = Vector512.FusedMultiplyAdd(e2, u, a20);
                    a30 = Vector512.FusedMultiplyAdd(e3, u, a30);
                    u = Vector512.Load(input + ((i + 1) * Block) + v);
                    a01 = Vector512.FusedMultiplyAdd(e0, u, a01);
                    a11 = Vector512.FusedMultiplyAdd(e1, u, a11);
                    a21 = Vector512.FusedMultiplyAdd(e2, u, a21);
                    a31 = Vector512.FusedMultiplyAdd(e3, u, a31);
                    u = Vector512.Load(input + ((i + 2) * Block) + v);
                    a02 = Vector512.FusedMultiplyAdd(e0, u, a02);
                    a12 = Vector512.FusedMultiplyAdd(e1, u, a12);
                    a22 = Vector512.FusedMultiplyAdd(e2, u, a22);
                    a32 = Vector512.FusedMultiplyAdd(e3, u, a32);
                    u = Vector512.Load(input + ((i + 3) * Block) + v);
                    a03 = Vector512.FusedMultiplyAdd(e0, u, a03);
                    a13 = Vector512.FusedMultiplyAdd(e1, u, a13);
                    a23 = Vector512.FusedMultiplyAdd(e2, u, a23);
                    a33 = Vector512.FusedMultiplyAdd(e3, u, a33);
                }

                Store4(a00, a01, a02, a03, t0);
                Store4(a10, a11, a12, a13, t1);
                Store4(a20, a21, a22, a23, t2);
                Store4(a30, a31, a32, a33, t3);
            }
        }

        // Rows and columns outside the 4 x 4 tiles (widths that are not multiples of 4), one weight at a time.
        for (var j = 0; j < outWidth; j++)
        {
            for (var i = j < j4 ? i4 : 0; i < inWidth; i++)
            {
                var at = gw + (((j * inWidth) + i) * Lanes);
                var accumulator = Vector512.Load(at);
                for (var v = 0; v < Block; v += Lanes)
                {
                    accumulator = Vector512.FusedMultiplyAdd(Vector512.Load(deltaOut + (j * Block) + v), Vector512.Load(input + (i * Block) + v), accumulator);
                }

                Vector512.Store(accumulator, at);
            }
        }
    }

    /// <summary>delta_in = (W^T delta_out) * sigma'(z_in) for one tile: 4 input units x 4 vectors at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DeltaBackward<TActivation>(float* w, float* deltaOut, float* slopesIn, float* deltaIn, int inWidth, int outWidth)
        where TActivation : struct, IActivation512
    {
        var i = 0;
        for (; i + 4 <= inWidth; i += 4)
        {
            var s00 = Vector512<float>.Zero;
            var (s01, s02, s03) = (s00, s00, s00);
            var (s10, s11, s12, s13) = (s00, s00, s00, s00);
            var (s20, s21, s22, s23) = (s00, s00, s00, s00);
            var (s30, s31, s32, s33) = (s00, s00, s00, s00);
            for (var j = 0; j < outWidth; j++)
            {
                var unit = deltaOut + (j * Block);
                var e0 = Vector512.Load(unit);
                var e1 = Vector512.Load(unit + Lanes);
                var e2 = Vector512.Load(unit + (2 * Lanes));
                var e3 = Vector512.Load(unit + (3 * Lanes));
                var row = w + (j * inWidth) + i;
                var c = Vector512.Create(row[0]);
                s00 = Vector512.FusedMultiplyAdd(c, e0, s00);
                s01 = Vector512.FusedMultiplyAdd(c, e1, s01);
                s02 = Vector512.FusedMultiplyAdd(c, e2, s02);
                s03 = Vector512.FusedMultiplyAdd(c, e3, s03);
                c = Vector512.Create(row[1]);
                s10 = Vector512.FusedMultiplyAdd(c, e0, s10);
                s11 = Vector512.FusedMultiplyAdd(c, e1, s11);
                s12 = Vector512.FusedMultiplyAdd(c, e2, s12);
                s13 = Vector512.FusedMultiplyAdd(c, e3, s13);
                c = Vector512.Create(row[2]);
                s20 = Vector512.FusedMultiplyAdd(c, e0, s20);
                s21 = Vector512.FusedMultiplyAdd(c, e1, s21);
                s22 = Vector512.FusedMultiplyAdd(c, e2, s22);
                s23 = Vector512.FusedMultiplyAdd(c, e3, s23);
                c = Vector512.Create(row[3]);
                s30 = Vector512.FusedMultiplyAdd(c, e0, s30);
                s31 = Vector512.FusedMultiplyAdd(c, e1, s31);
                s32 = Vector512.FusedMultiplyAdd(c, e2, s32);
                s33 = Vector512.FusedMultiplyAdd(c, e3, s33);
            }

            Scale4<TActivation>(s00, s01, s02, s03, slopesIn + (i * Block), deltaIn + (i * Block));
            Scale4<TActivation>(s10, s11, s12, s13, slopesIn + ((i + 1) * Block), deltaIn + ((i + 1) * Block));
            Scale4<TActivation>(s20, s21, s22, s23, slopesIn + ((i + 2) * Block), deltaIn + ((i + 2) * Block));
            Scale4<TActivation>(s30, s31, s32, s33, slopesIn + ((i + 3) * Block), deltaIn + ((i + 3) * Block));
        }

        for (; i < inWidth; i++)
        {
            var s0 = Vector512<float>.Zero;
            var (s1, s2, s3) = (s0, s0, s0);
            for (var j = 0; j < outWidth; j++)
            {
                var unit = deltaOut + (j * Block);
                var c = Vector512.Create(w[(j * inWidth) + i]);
                s0 = Vector512.FusedMultiplyAdd(c, Vector512.Load(unit), s0);
                s1 = Vector512.FusedMultiplyAdd(c, Vector512.Load(unit + Lanes), s1);
                s2 = Vector512.FusedMultiplyAdd(c, Vector512.Load(unit + (2 * Lanes)), s2);
                s3 = Vector512.FusedMultiplyAdd(c, Vector512.Load(unit + (3 * Lanes)), s3);
            }

            Scale4<TActivation>(s0, s1, s2, s3, slopesIn + (i * Block), deltaIn + (i * Block));
        }
    }

    /// <summary>Replaces each of <paramref name="count"/> 16-float vectors of pre-activations by sigma(z) (and sigma' at slopes unless null).</summary>
    private static void Activate(float* values, float* slopes, int count)
    {
        for (var k = 0; k < count * Lanes; k += Lanes)
        {
            Store<TBase>(Vector512.Load(values + k), values + k, slopes == null ? null : slopes + k);
        }
    }

    /// <summary>Stores sigma(z) at <paramref name="value"/> and, unless <paramref name="slope"/> is null, sigma'(z) there.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<TActivation>(Vector512<float> z, float* value, float* slope)
        where TActivation : struct, IActivation512
    {
        if (slope == null)
        {
            Vector512.Store(TActivation.Value(z), value);
        }
        else
        {
            Vector512.Store(TActivation.Value(z, out var derivative), value);
            Vector512.Store(derivative, slope);
        }
    }

    /// <summary>Stores sigma of 4 vectors of pre-activations at <paramref name="values"/> (and sigma' at slopes unless null).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store4<TActivation>(Vector512<float> z0, Vector512<float> z1, Vector512<float> z2, Vector512<float> z3, float* values, float* slopes)
        where TActivation : struct, IActivation512
    {
        Store<TActivation>(z0, values, slopes);
        Store<TActivation>(z1, values + Lanes, slopes == null ? null : slopes + Lanes);
        Store<TActivation>(z2, values + (2 * Lanes), slopes == null ? null : slopes + (2 * Lanes));
        Store<TActivation>(z3, values + (3 * Lanes), slopes == null ? null : slopes + (3 * Lanes));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store4(Vector512<float> a0, Vector512<float> a1, Vector512<float> a2, Vector512<float> a3, float* at)
    {
        Vector512.Store(a0, at);
        Vector512.Store(a1, at + Lanes);
        Vector512.Store(a2, at + (2 * Lanes));
        Vector512.Store(a3, at + (3 * Lanes));
    }

    /// <summary>Writes the deltas for upstream a0..a3 and the 4 vectors of slopes (or values) at <paramref name="factors"/> to <paramref name="to"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Scale4<TActivation>(Vector512<float> a0, Vector512<float> a1, Vector512<float> a2, Vector512<float> a3, float* factors, float* to)
        where TActivation : struct, IActivation512
    {
        Vector512.Store(TActivation.Delta(a0, Vector512.Load(factors)), to);
        Vector512.Store(TActivation.Delta(a1, Vector512.Load(factors + Lanes)), to + Lanes);
        Vector512.Store(TActivation.Delta(a2, Vector512.Load(factors + (2 * Lanes))), to + (2 * Lanes));
        Vector512.Store(TActivation.Delta(a3, Vector512.Load(factors + (3 * Lanes))), to + (3 * Lanes));
    }
}
