using System.Runtime.InteropServices;
using LearnedActivation.Model.Evaluation.Grid;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Tests.Evaluation.Grid;

/// <summary>
/// Catmull-Rom cubic interpolation of knot values <c>y[0..K-1]</c> at <c>low + k * step</c> as an autograd
/// function (see <see cref="CubicInterpolant"/>): gradients go to x (the interpolant's slope) and to y (each
/// output passes its gradient to the four knots around it, with the interpolation weights). The grid evaluator
/// uses <see cref="CubicInterpolant"/> inside its own node; this standalone node lets the tests check the
/// interpolant's gradients against the same cubic built from torch operations.
/// </summary>
internal sealed class KnotInterpolation : autograd.SingleTensorFunction<KnotInterpolation>
{
    private const string InterpolantKey = "interpolant";

    public override string Name => nameof(KnotInterpolation);

    /// <summary>
    /// Interpolates <paramref name="y"/> ([K] float32, K &gt;= 2, knots at low + k step) at every element of
    /// <paramref name="x"/> (float32, any shape); the result has the shape of x. Differentiable in x and y.
    /// </summary>
    public static Tensor Interpolate(Tensor x, Tensor y, double low, double step)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.dtype != ScalarType.Float32 || y.dtype != ScalarType.Float32 || y.dim() != 1 || y.shape[0] < 2)
        {
            throw new ArgumentException($"expected float32 x and float32 knot values of shape [K >= 2], got {x.dtype} and {y.dtype} [{string.Join(", ", y.shape)}]");
        }

        if (!(step > 0) || !double.IsFinite(low))
        {
            throw new ArgumentException($"knots need a finite start and a positive step (got {low}, {step})");
        }

        return apply(x.contiguous(), y.contiguous(), new CubicInterpolant(low, step, (int)y.shape[0]));
    }

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(vars);
        var x = (Tensor)vars[0];
        var y = (Tensor)vars[1];
        var interpolant = (CubicInterpolant)vars[2];
        ctx.save_for_backward([x, y]);
        ctx.save_data(InterpolantKey, interpolant);

        var output = empty_like(x);
        interpolant.Forward(Floats(y), Floats(x), Floats(output));
        return output;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(grad_output);
        var saved = ctx.get_saved_variables();
        var interpolant = (CubicInterpolant)ctx.get_data(InterpolantKey);
        var gradX = empty_like(saved[0]);
        var gradY = empty_like(saved[1]);
        interpolant.Backward(Floats(saved[1]), Floats(saved[0]), Floats(grad_output.contiguous()), Floats(gradX), Floats(gradY));
        return [gradX, gradY, null!];
    }

    private static Span<float> Floats(Tensor tensor) => MemoryMarshal.Cast<byte, float>(tensor.bytes);
}
