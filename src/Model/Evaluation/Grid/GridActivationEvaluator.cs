using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Evaluation;
using LearnedActivation.Model.Networks;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Evaluation.Grid;

/// <summary>
/// Evaluates the activation network exactly on <see cref="Knots"/> evenly spaced points spanning the column's
/// range (min to max, detached) and interpolates between them with a Catmull-Rom cubic
/// (<see cref="CubicInterpolant"/>). A training step applies the one shared function to tens of thousands of
/// scalars; on a few hundred knots the network costs almost nothing, and the interpolation costs the same
/// however large the network is.
/// Gradients: to the input through the slope of the interpolant, to the parameters through the knot values
/// (each scalar passes its gradient to the four knots around it with the interpolation weights).
/// Error (measured in docs/benchmarks.md, bounded in the tests): the function error is O(h^3) and the slope
/// error O(h^2) for smooth bases, h the knot spacing. A relu network is piecewise linear: for relu bases the
/// knots are its bends instead (<see cref="ReluBreakpoints"/>), and the line through two samples inside each
/// piece reproduces it exactly.
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
        if (column.shape[0] <= Knots || column.dtype != ScalarType.Float32 || network.Layers.Count < 2)
        {
            return ExactActivationEvaluator.Instance.Evaluate(network, column);
        }

        var (low, high) = Range(column);
        if (!double.IsFinite(low) || !double.IsFinite(high))
        {
            // NaN or infinity in the input: let the exact composition propagate it the way PyTorch would.
            return ExactActivationEvaluator.Instance.Evaluate(network, column);
        }

        var arguments = new List<object> { column.contiguous(), network.Base, low, high, Knots };
        foreach (var layer in network.Layers)
        {
            arguments.Add(layer.weight!);
            arguments.Add(layer.bias!);
        }

        return GridActivationFunction.apply([.. arguments]);
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
