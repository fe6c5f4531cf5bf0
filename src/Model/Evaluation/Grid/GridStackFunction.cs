using LearnedActivation.Model.Evaluation.Fused;
using static LearnedActivation.Model.Networks.TensorMemory;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Evaluation.Grid;

/// <summary>
/// The outer network's hidden stack as one autograd function:
/// <c>apply(pre1, stack, W2, b2, ..., Wk, bk, A0, a0, A1, a1, ...)</c> stands for
/// <c>f(Wk f(... f(W2 f(pre1) + b2) ...) + bk)</c>, with f the activation network (weights A, a) evaluated on the grid.
/// <see cref="GridStack"/> has computed forward already; this node hands its output over and, in backward, carries
/// the gradient down through the layers with the operations libtorch's own linear backward uses (so every gradient
/// has the bits of the graph of one node per layer), summing the activation network's gradients over the layers
/// in the order autograd would. Why: TorchSharp's custom-function machinery costs about as much per call as a relu
/// column's whole interpolation at batch 512; one call per step instead of one per hidden layer saves two of three.
/// </summary>
internal sealed class GridStackFunction : autograd.SingleTensorFunction<GridStackFunction>
{
    private const string StateKey = "stack";

    public override string Name => nameof(GridStackFunction);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(vars);
        var stack = (GridStack)vars[1];
        ctx.save_data(StateKey, stack);
        return stack.Output;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(grad_output);
        var stack = (GridStack)ctx.get_data(StateKey);
        var layers = stack.Layers;
        var linearGrads = new Tensor[2 * (layers.Count - 1)];
        float[][]? activationWeightGrads = null, activationBiasGrads = null;
        var upstream = grad_output.is_contiguous() ? grad_output : grad_output.contiguous();
        Tensor? gradFirst = null;
        for (var i = layers.Count - 1; i >= 0; i--)
        {
            var layer = layers[i];
            var gradPre = empty_like(layer.Pre);
            var (weightGrads, biasGrads) = layer.Sample.Backward(stack.Kernel, Floats(layer.Pre), Floats(upstream), Floats(gradPre));
            // Autograd sums a leaf's gradients as they arrive, the last layer's first: ((g_k + g_k-1) + ...).
            Accumulate(ref activationWeightGrads, weightGrads);
            Accumulate(ref activationBiasGrads, biasGrads);
            if (!ReferenceEquals(upstream, grad_output))
            {
                upstream.Dispose();
            }

            if (i == 0)
            {
                gradFirst = gradPre;
                break;
            }

            // As libtorch's addmm backward for y = x W^T + b: dW = (dy^T x), db = dy summed over the batch, dx = dy W.
            linearGrads[2 * (i - 1)] = gradPre.t().mm(layers[i - 1].Output);
            linearGrads[(2 * (i - 1)) + 1] = gradPre.sum(dim: 0L);
            upstream = gradPre.mm(stack.Following[i - 1].Weight);
            gradPre.Dispose();
        }

        var grads = new List<Tensor>(2 + linearGrads.Length + (2 * activationWeightGrads!.Length)) { gradFirst!, null! };
        grads.AddRange(linearGrads);
        for (var l = 0; l < activationWeightGrads.Length; l++)
        {
            var rows = activationBiasGrads![l].Length;
            grads.Add(GridActivationFunction.TensorOf(activationWeightGrads[l], [rows, activationWeightGrads[l].Length / rows]));
            grads.Add(GridActivationFunction.TensorOf(activationBiasGrads[l], [rows]));
        }

        return grads;
    }

    private static void Accumulate(ref float[][]? sums, float[][] grads)
    {
        if (sums is null)
        {
            sums = grads;
            return;
        }

        for (var l = 0; l < sums.Length; l++)
        {
            var sum = sums[l];
            var add = grads[l];
            for (var j = 0; j < sum.Length; j++)
            {
                sum[j] += add[j];
            }
        }
    }
}
