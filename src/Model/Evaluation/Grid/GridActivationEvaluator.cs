using System.Runtime.Intrinsics;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Evaluation;
using LearnedActivation.Model.Evaluation.Fused;
using LearnedActivation.Model.Networks;
using TorchSharp.Modules;
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
public sealed class GridActivationEvaluator : IActivationEvaluator, ILayerStackEvaluator
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

        // Whether backward will run: only then does relu's interpolant keep each scalar's piece for it.
        var backward = is_grad_enabled() && (column.requires_grad || network.Layers.Any(l => l.weight!.requires_grad || l.bias!.requires_grad));
        var arguments = new List<object> { column.contiguous(), network.Base, low, high, Knots, backward };
        foreach (var layer in network.Layers)
        {
            arguments.Add(layer.weight!);
            arguments.Add(layer.bias!);
        }

        return GridActivationFunction.apply([.. arguments]);
    }

    /// <summary>
    /// The hidden stack in one node (<see cref="GridStackFunction"/>) when backward will run; null otherwise, or where
    /// a layer's column is too small for the grid or has a non-finite range: then the caller goes layer by layer,
    /// and <see cref="Evaluate"/> decides per column as always.
    /// </summary>
    public Tensor? EvaluateStack(ActivationNetwork network, Tensor firstPreActivation, IReadOnlyList<Linear> followingLayers)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(firstPreActivation);
        ArgumentNullException.ThrowIfNull(followingLayers);
        var activationLayers = network.Layers;
        var trained = activationLayers.Any(l => l.weight!.requires_grad || l.bias!.requires_grad)
            || firstPreActivation.requires_grad
            || followingLayers.Any(l => l.weight!.requires_grad || l.bias!.requires_grad);
        if (!is_grad_enabled() || !trained || firstPreActivation.dim() != 2 || firstPreActivation.dtype != ScalarType.Float32 || activationLayers.Count < 2 || followingLayers.Any(l => l.bias is null))
        {
            return null;
        }

        var weights = new Tensor[2 * activationLayers.Count];
        for (var l = 0; l < activationLayers.Count; l++)
        {
            weights[2 * l] = activationLayers[l].weight!;
            weights[(2 * l) + 1] = activationLayers[l].bias!;
        }

        var following = followingLayers.Select(l => ((Tensor)l.weight!, (Tensor)l.bias!)).ToArray();
        var kernel = FusedActivationKernel.FromTensors(network.Base, weights);
        var stack = GridStack.TryCompute(kernel, network.Base, firstPreActivation, following, Knots);
        if (stack is null)
        {
            return null;
        }

        var arguments = new List<object>(2 + (2 * following.Length) + weights.Length) { firstPreActivation, stack };
        foreach (var (weight, bias) in following)
        {
            arguments.Add(weight);
            arguments.Add(bias);
        }

        arguments.AddRange(weights);

        return GridStackFunction.apply([.. arguments]);
    }

    internal static (double Low, double High) Range(Tensor column)
    {
        var (low, high) = MinMax(column);
        if (high > low)
        {
            return (low, high);
        }

        // A constant column still needs a segment of positive width around its value.
        var pad = Math.Max(1.0, Math.Abs(low)) * 1e-3;
        return (low - pad, high + pad);
    }

    /// <summary>
    /// The column's least and greatest element (NaN if it holds a NaN). Computed here over its floats: libtorch's
    /// aminmax and reading back its two results cost several times the scan. The two agree on every value but the sign of a
    /// zero (-0 and +0 compare equal, and which one aminmax returns is its own affair): where either end is a zero
    /// the answer comes from aminmax, so low and high keep their bits.
    /// </summary>
    internal static (double Low, double High) MinMax(Tensor column)
    {
        if (column.is_contiguous() && column.device_type == TorchSharp.DeviceType.CPU)
        {
            var (min, max) = MinMax(TensorMemory.Floats(column));
            if (min != 0 && max != 0)
            {
                return (min, max);
            }
        }

        using var noGrad = no_grad();
        var (least, greatest) = column.aminmax();
        using (least)
        using (greatest)
        {
            return (least.item<float>(), greatest.item<float>());
        }
    }

    /// <summary>Least and greatest element; NaN for both if any element is NaN (as aminmax propagates it).</summary>
    internal static (float Min, float Max) MinMax(ReadOnlySpan<float> values)
    {
        var n = 0;
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        var nan = false;
        if (Vector256.IsHardwareAccelerated && values.Length >= Vector256<float>.Count)
        {
            var mins = Vector256.Create(float.PositiveInfinity);
            var maxs = Vector256.Create(float.NegativeInfinity);
            var unordered = Vector256<float>.Zero;
            for (; n + Vector256<float>.Count <= values.Length; n += Vector256<float>.Count)
            {
                // The native minimum and maximum (minps, maxps): Min and Max order -0 below +0 and propagate NaN,
                // which costs extra instructions per vector; here a zero end is settled by aminmax and NaN below.
                var v = Vector256.Create(values.Slice(n, Vector256<float>.Count));
                mins = Vector256.MinNative(mins, v);
                maxs = Vector256.MaxNative(maxs, v);
                unordered |= ~Vector256.Equals(v, v);
            }

            nan = unordered != Vector256<float>.Zero;
            for (var lane = 0; lane < Vector256<float>.Count; lane++)
            {
                min = Math.Min(min, mins[lane]);
                max = Math.Max(max, maxs[lane]);
            }
        }

        for (; n < values.Length; n++)
        {
            nan |= float.IsNaN(values[n]);
            min = Math.Min(min, values[n]);
            max = Math.Max(max, values[n]);
        }

        return nan ? (float.NaN, float.NaN) : (min, max);
    }
}
