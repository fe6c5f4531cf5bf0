using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Evaluation.Fused;
using static LearnedActivation.Model.Networks.TensorMemory;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Evaluation.Grid;

/// <summary>
/// The grid evaluation as one autograd function: <c>apply(x, base, low, high, knots, backwardExpected, W0, b0, W1, b1, ...)</c>.
/// Forward samples the network at the interpolant's points with <see cref="FusedActivationKernel"/> and
/// interpolates; backward takes dL/dx and dL/d(sample values) from the interpolant, then carries the latter
/// through the kernel's backward to the weights. One graph node per call: on a few hundred samples the
/// bookkeeping of separate libtorch operations would cost more than the arithmetic.
/// </summary>
internal sealed class GridActivationFunction : autograd.SingleTensorFunction<GridActivationFunction>
{
    private const string StateKey = "state";
    private const int FirstWeight = 6;

    public override string Name => nameof(GridActivationFunction);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(vars);
        var x = (Tensor)vars[0];
        var baseActivation = (BaseActivation)vars[1];
        var low = (double)vars[2];
        var high = (double)vars[3];
        var knots = (int)vars[4];
        var backwardExpected = (bool)vars[5];
        var kernel = FusedActivationKernel.FromTensors(baseActivation, Weights(vars));
        var sample = GridSample.Take(kernel, baseActivation, low, high, knots, backwardExpected);

        ctx.save_for_backward([x]);
        ctx.save_data(StateKey, (kernel, sample));

        var output = empty_like(x);
        sample.Forward(Floats(x), Floats(output));
        return output;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(grad_output);
        var x = ctx.get_saved_variables()[0];
        var (kernel, sample) = ((FusedActivationKernel, GridSample))ctx.get_data(StateKey);

        var gradX = empty_like(x);
        var upstream = grad_output.is_contiguous() ? grad_output : grad_output.contiguous();
        var (weightGrads, biasGrads) = sample.Backward(kernel, Floats(x), Floats(upstream), Floats(gradX));

        var grads = new List<Tensor> { gradX, null!, null!, null!, null!, null! };
        GridSample.AddAsTensors(grads, weightGrads, biasGrads);
        return grads;
    }

    private static Tensor[] Weights(object[] vars)
    {
        var weights = new Tensor[vars.Length - FirstWeight];
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = (Tensor)vars[FirstWeight + i];
        }

        return weights;
    }
}
