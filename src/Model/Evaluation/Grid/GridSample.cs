using LearnedActivation.Model.Bases;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Evaluation.Fused;
using static LearnedActivation.Model.Networks.TensorMemory;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Evaluation.Grid;

/// <summary>
/// One column's grid evaluation: the interpolant over the column's range and the network's values at its points.
/// Built in forward, kept for backward; <see cref="GridActivationFunction"/> makes one per call,
/// <see cref="GridStackFunction"/> one per hidden layer of the outer network.
/// </summary>
internal sealed class GridSample
{
    private GridSample(IInterpolant interpolant, float[] values)
    {
        Interpolant = interpolant;
        Values = values;
    }

    public IInterpolant Interpolant { get; }

    /// <summary>The network at <see cref="IInterpolant.Points"/>.</summary>
    public float[] Values { get; }

    /// <summary>
    /// Samples <paramref name="kernel"/> for the range [<paramref name="low"/>, <paramref name="high"/>]: at its bends
    /// for relu bases (exact), at <paramref name="knots"/> even knots otherwise. <paramref name="backwardExpected"/>
    /// lets relu's interpolant keep each scalar's piece for backward.
    /// </summary>
    public static GridSample Take(FusedActivationKernel kernel, BaseActivation baseActivation, double low, double high, int knots, bool backwardExpected)
    {
        IInterpolant interpolant = BaseActivations.Of(baseActivation).ReluShaped
            ? new PiecewiseLinearInterpolant(new LinearPieces(low, high, ReluBreakpoints.Find(kernel.Weights, kernel.Biases, low, high, minGap: (high - low) * 1e-6)), keepPieces: backwardExpected)
            : new CubicInterpolant(low, (high - low) / (knots - 1), knots);
        var values = new float[interpolant.Points.Length];
        kernel.Forward(interpolant.Points, values);
        return new GridSample(interpolant, values);
    }

    public void Forward(ReadOnlySpan<float> x, Span<float> output) => Interpolant.Forward(Values, x, output);

    /// <summary>Writes dL/dx into <paramref name="gradX"/> and returns dL/dW, dL/db of the network's layers.</summary>
    public (float[][] WeightGrads, float[][] BiasGrads) Backward(FusedActivationKernel kernel, ReadOnlySpan<float> x, ReadOnlySpan<float> upstream, Span<float> gradX)
    {
        var gradValues = new float[Values.Length];
        BackwardToValues(x, upstream, gradX, gradValues);
        return kernel.Backward(Interpolant.Points, gradValues, new float[Values.Length]);
    }

    /// <summary>
    /// The interpolant's half of <see cref="Backward"/>: dL/dx into <paramref name="gradX"/> and dL/d values (one per
    /// point) into <paramref name="gradValues"/>, for a caller that takes the network's backward at the points itself.
    /// </summary>
    public void BackwardToValues(ReadOnlySpan<float> x, ReadOnlySpan<float> upstream, Span<float> gradX, Span<float> gradValues) =>
        Interpolant.Backward(Values, x, upstream, gradX, gradValues);

    /// <summary>
    /// Appends the network's gradients (<see cref="Backward"/>'s result) as tensors in the layers' order, each weight then
    /// its bias, in their shapes: what an autograd node returns for the inputs W0, b0, W1, b1, ...
    /// </summary>
    public static void AddAsTensors(List<Tensor> into, float[][] weightGrads, float[][] biasGrads)
    {
        for (var l = 0; l < weightGrads.Length; l++)
        {
            // Made in their shapes directly: a reshape is one more tensor handle per weight and call.
            var rows = biasGrads[l].Length;
            into.Add(TensorOf(weightGrads[l], [rows, weightGrads[l].Length / rows]));
            into.Add(TensorOf(biasGrads[l], [rows]));
        }
    }

    /// <summary>
    /// A new tensor holding a copy of <paramref name="values"/>. Copied into an empty tensor rather than made by
    /// <c>tensor(values, shape)</c>, which wraps the pinned array and frees it through a callback into .NET: measured
    /// 2-3 times slower for these few hundred floats, eight times per call.
    /// </summary>
    private static Tensor TensorOf(float[] values, long[] shape)
    {
        var result = empty(shape, ScalarType.Float32);
        values.CopyTo(Floats(result));
        return result;
    }
}
