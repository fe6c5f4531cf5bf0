using static TorchSharp.torch;

namespace LearnedActivation.Model.Networks;

/// <summary>
/// Evaluates the activation network exactly on <see cref="Knots"/> evenly spaced points spanning the column's
/// range and interpolates linearly between them. A training step applies the one shared function to tens of
/// thousands of scalars; on a few thousand knots the network costs almost nothing, and the interpolation is a
/// handful of elementwise operations however large the network is.
/// Gradients: to the input through the slope of the interpolant, to the parameters through the knot values
/// (each scalar passes its gradient to its two neighbouring knots with the interpolation weights). The range is
/// taken from the data and detached: moving a knot is not something the loss can ask for.
/// Error (docs/benchmarks.md): the function error is O(h^2 f''), the slope error O(h f''), with h the knot
/// spacing; for relu bases the network is piecewise linear, so only segments that contain a kink are inexact.
/// Columns with no more scalars than knots are evaluated exactly: the grid would cost more, not less.
/// </summary>
public sealed class GridActivationEvaluator : IActivationEvaluator
{
    /// <summary>Knots per evaluation. Chosen from the measured errors (docs/benchmarks.md).</summary>
    public const int DefaultKnots = 512;

    /// <param name="knots">Number of knots (at least 2).</param>
    public GridActivationEvaluator(int knots = DefaultKnots)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(knots, 2);
        Knots = knots;
    }

    public static GridActivationEvaluator Instance { get; } = new();

    public int Knots { get; }

    public string Name => "grid";

    public Tensor Evaluate(ActivationNetwork network, Tensor column)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(column);
        if (column.shape[0] <= Knots || column.dtype != ScalarType.Float32)
        {
            return ExactActivationEvaluator.Instance.Evaluate(network, column);
        }

        var (low, high) = Range(column);
        if (!double.IsFinite(low) || !double.IsFinite(high))
        {
            // NaN or infinity in the input: let the exact composition propagate it the way PyTorch would.
            return ExactActivationEvaluator.Instance.Evaluate(network, column);
        }

        var step = (high - low) / (Knots - 1);
        using var knots = linspace(low, high, Knots, dtype: ScalarType.Float32).unsqueeze(1);
        var values = ExactActivationEvaluator.Instance.Evaluate(network, knots).reshape(-1);
        return KnotInterpolation.Interpolate(column.contiguous(), values.contiguous(), low, step);
    }

    private static (double Low, double High) Range(Tensor column)
    {
        using var noGrad = no_grad();
        var (min, max) = column.aminmax();
        using (min)
        using (max)
        {
            double low = min.item<float>();
            double high = max.item<float>();
            if (high > low)
            {
                return (low, high);
            }

            // A constant column still needs a segment of positive width around its value.
            var pad = Math.Max(1.0, Math.Abs(low)) * 1e-3;
            return (low - pad, high + pad);
        }
    }
}
