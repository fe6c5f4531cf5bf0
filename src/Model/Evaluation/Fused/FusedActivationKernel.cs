using System.Buffers;
using System.Runtime.InteropServices;
using LearnedActivation.Model.Bases;
using LearnedActivation.Model.Configuration;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Evaluation.Fused;

/// <summary>
/// The activation network <c>1 -> h1 -> ... -> hk -> 1</c> computed for many scalars at a time, all layers in one
/// pass, by the code path this CPU runs best (<see cref="FusedKernelPaths"/>): <see cref="FusedBlockKernel512{TBase}"/>
/// where Vector512 is accelerated (AVX-512; it can keep forward state for backward: <see cref="SavedFloats"/>), else
/// <see cref="FusedGroupKernel256{TBase}"/>. Relu networks with two or more hidden layers go, on calls of
/// <see cref="ReluSegmentedKernel.MinScalars"/> scalars or more, to <see cref="ReluSegmentedKernel"/>, which collapses
/// the first two layers into one per segment of the x axis. This class routes and splits the work: several threads
/// take fixed chunks of the scalars when libtorch is allowed more than one (a run's TorchThreads), and their sums are
/// added in chunk order. One instance holds a snapshot of the weights taken at forward time; it is immutable and
/// thread-safe.
/// </summary>
internal sealed unsafe class FusedActivationKernel
{
    private const int MinChunk = 4096;
    private const int NoPlan = -1;        // first int of a segmented call's saved state when forward ran every layer

    private readonly float[][] _weights;  // layer l: [out, in] row-major, as nn.Linear stores it
    private readonly float[][] _biases;
    private readonly IFusedKernelPath _path;
    private readonly Lazy<ReluSegmentedKernel>? _segmented; // built on the first call large enough for it: the grid's calls hardly ever are (a stack's backward takes every layer's points at once, 4,096 only past ~680 pieces per layer)

    /// <param name="allowVector512">
    /// Use the AVX-512 block kernel where the hardware accelerates it (the default); false keeps the AVX2 path,
    /// which is what other CPUs run.
    /// </param>
    /// <param name="segmentRelu">
    /// For relu networks with two or more hidden layers, compute calls of at least
    /// <see cref="ReluSegmentedKernel.MinScalars"/> scalars by collapsing the first layer segment by segment (the
    /// default; <see cref="ReluSegmentedKernel"/>); false always runs every layer per scalar.
    /// </param>
    public FusedActivationKernel(BaseActivation baseActivation, float[][] weights, float[][] biases, bool allowVector512 = true, bool segmentRelu = true)
    {
        var definition = BaseActivations.Of(baseActivation);
        _weights = weights;
        _biases = biases;
        _path = FusedKernelPaths.Create(definition, weights, biases, allowVector512);
        _segmented = segmentRelu && definition.ReluShaped && weights.Length >= 3 ? new Lazy<ReluSegmentedKernel>(() => new ReluSegmentedKernel(weights, biases, allowVector512)) : null;
    }

    /// <summary>Whether this instance runs the AVX-512 block kernel.</summary>
    public bool UsesVector512 => _path.UsesVector512;

    /// <summary>The weights per layer, [out, in] row-major (shared, not copied: do not modify).</summary>
    public float[][] Weights => _weights;

    public float[][] Biases => _biases;

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

    // Parameters are contiguous: reading them in place spares a tensor handle per weight and call.
    private static float[] Values(Tensor tensor)
    {
        if (tensor.is_contiguous())
        {
            return MemoryMarshal.Cast<byte, float>(tensor.bytes).ToArray();
        }

        using var contiguous = tensor.contiguous();
        return MemoryMarshal.Cast<byte, float>(contiguous.bytes).ToArray();
    }

    /// <summary>
    /// Floats of forward state that <see cref="Forward"/> can keep for <see cref="Backward"/> on
    /// <paramref name="count"/> scalars: the segmented relu's grouping where that path runs, else the AVX-512 path's
    /// hidden layers (0 where nothing is kept: the AVX2 path, or one hidden layer).
    /// </summary>
    public int SavedFloats(int count) => Segmented(count) ? Segments.SavedFloats(count) : _path.SavedFloats(count);

    private ReluSegmentedKernel Segments => _segmented!.Value;

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

        var firstSaved = _path.FirstSavedLayer(x.Length);
        fixed (float* xs = x, ys = y, ss = saved)
        {
            var (inputs, outputs, state) = ((nint)xs, (nint)ys, (nint)ss);
            var chunks = Chunks(x.Length, threads);
            if (chunks.Length == 2)
            {
                _path.ForwardRange((float*)inputs, (float*)outputs, x.Length, (float*)state, firstSaved);
                return;
            }

            Parallel.For(0, chunks.Length - 1, c =>
                _path.ForwardRange((float*)inputs + chunks[c], (float*)outputs + chunks[c], chunks[c + 1] - chunks[c], SavedAt((float*)state, chunks[c], firstSaved), firstSaved));
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

        var firstSaved = _path.FirstSavedLayer(x.Length);
        var chunks = Chunks(x.Length, threads);
        var totals = new (double[][] Weights, double[][] Biases)[chunks.Length - 1];
        fixed (float* xs = x, gs = upstream, dxs = gradX, ss = saved)
        {
            var (inputs, grads, inputGrads, state) = ((nint)xs, (nint)gs, (nint)dxs, (nint)ss);
            if (totals.Length == 1)
            {
                totals[0] = _path.BackwardRange((float*)inputs, (float*)grads, (float*)inputGrads, x.Length, (float*)state, firstSaved);
            }
            else
            {
                Parallel.For(0, totals.Length, c =>
                    totals[c] = _path.BackwardRange((float*)inputs + chunks[c], (float*)grads + chunks[c], (float*)inputGrads + chunks[c], chunks[c + 1] - chunks[c], SavedAt((float*)state, chunks[c], firstSaved), firstSaved));
            }
        }

        var weightGrads = new float[_weights.Length][];
        var biasGrads = new float[_biases.Length][];
        for (var l = 0; l < _weights.Length; l++)
        {
            // One chunk (every grid call: a few hundred points) needs no sum, nor the copy summing would make.
            weightGrads[l] = totals.Length == 1 ? ToFloats(totals[0].Weights[l]) : Sum(totals.Select(t => t.Weights[l]));
            biasGrads[l] = totals.Length == 1 ? ToFloats(totals[0].Biases[l]) : Sum(totals.Select(t => t.Biases[l]));
        }

        return (weightGrads, biasGrads);
    }

    /// <summary>
    /// Forward through <see cref="ReluSegmentedKernel"/>: its plan (segments, sort order) is the saved state, or a
    /// pooled temporary without one. False for non-finite inputs, with the saved state marked so for backward.
    /// </summary>
    private bool SegmentedForward(ReadOnlySpan<float> x, Span<float> y, int threads, Span<float> saved)
    {
        var temporary = saved.IsEmpty ? ArrayPool<float>.Shared.Rent(Segments.SavedFloats(x.Length)) : null;
        try
        {
            var plan = temporary is null ? saved : temporary.AsSpan(0, Segments.SavedFloats(x.Length));
            if (Segments.TryPlan(x, plan))
            {
                Segments.Forward(y, threads, plan);
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
            return MemoryMarshal.Cast<float, int>(saved)[0] == NoPlan ? null : Segments.Backward(upstream, gradX, threads, saved);
        }

        var temporary = ArrayPool<float>.Shared.Rent(Segments.SavedFloats(x.Length));
        try
        {
            var plan = temporary.AsSpan(0, Segments.SavedFloats(x.Length));
            return Segments.TryPlan(x, plan) ? Segments.Backward(upstream, gradX, threads, plan) : null;
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
    private float* SavedAt(float* saved, int start, int firstSaved) => saved == null ? null : saved + ((long)start * _path.SavedFloatsPerScalar(firstSaved));

    /// <summary>
    /// Chunk boundaries: one chunk per thread, each a whole number of the path's groups (8 lanes, or the AVX-512
    /// path's blocks, so that saved state is laid out per block) and at least <see cref="MinChunk"/> scalars
    /// (below that, a thread costs more than it saves).
    /// </summary>
    private int[] Chunks(int count, int threads)
    {
        var granularity = _path.Granularity;
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

        return ToFloats(total!);
    }

    private static float[] ToFloats(double[] values)
    {
        var floats = new float[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            floats[i] = (float)values[i];
        }

        return floats;
    }
}
