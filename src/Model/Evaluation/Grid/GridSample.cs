using LearnedActivation.Model.Bases;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Evaluation.Fused;

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
        Interpolant.Backward(Values, x, upstream, gradX, gradValues);
        return kernel.Backward(Interpolant.Points, gradValues, new float[Values.Length]);
    }
}
