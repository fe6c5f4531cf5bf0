using LearnedActivation.Model.Evaluation.Fused;
using static LearnedActivation.Model.Networks.TensorMemory;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Evaluation.Grid;

/// <summary>
/// The outer network's hidden stack as one autograd function:
/// <c>apply(pre1, stack, W2, b2, ..., Wk, bk, A0, a0, A1, a1, ...)</c> stands for
/// <c>f(Wk f(... f(W2 f(pre1) + b2) ...) + bk)</c>, with f the activation network (weights A, a) evaluated on the grid.
/// <see cref="GridStack"/> has computed forward already; this node hands its output over and, in backward, carries
/// the gradient down through the layers with the operations libtorch's own linear backward uses. The activation
/// network's gradient is one backward of the network at every layer's sample points together (each with its layer's
/// dL/d value): the sum over layers is taken inside the network's per-lane sums, once, where one node per layer made
/// three backward calls and autograd added their three results. The same sum to float rounding, not the same bits
/// (tested against one node per layer; docs/benchmarks.md, "Eighth pass", has the accuracy check). Why one node:
/// TorchSharp's custom-function machinery costs about as much per call as a relu column's whole interpolation at
/// batch 512; one call per step instead of one per hidden layer saves two of three.
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
        var layers = stack.Samples.Count;

        // Tensors go to autograd's saved variables, not into the context's data: they then outlive the caller's
        // handles (disposed with its scope), libtorch checks that no weight changed in place before backward, and
        // nothing the node holds points back at its own output (a cycle only a dispose scope would break).
        var saved = new List<Tensor>((3 * layers) - 2);
        saved.AddRange(stack.PreActivations);
        saved.AddRange(stack.Outputs.Take(layers - 1));
        for (var i = 0; i < layers - 1; i++)
        {
            saved.Add((Tensor)vars[2 + (2 * i)]);
        }

        ctx.save_for_backward(saved);
        ctx.save_data(StateKey, (stack.Kernel, stack.Samples));
        return stack.Outputs[^1];
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(grad_output);
        var (kernel, samples) = ((FusedActivationKernel, IReadOnlyList<GridSample>))ctx.get_data(StateKey);
        var layers = samples.Count;
        var saved = ctx.get_saved_variables();
        var pres = saved.GetRange(0, layers);
        var outputs = saved.GetRange(layers, layers - 1);
        var weights = saved.GetRange((2 * layers) - 1, layers - 1);

        var linearGrads = new Tensor[2 * (layers - 1)];
        var points = new float[samples.Sum(s => s.Values.Length)];
        var gradValues = new float[points.Length];
        var upstream = grad_output.is_contiguous() ? grad_output : grad_output.contiguous();
        Tensor? gradFirst = null;
        for (int i = layers - 1, at = points.Length; i >= 0; i--)
        {
            // Layer by layer, last first, each layer's points and dL/d values go to the end of what is left.
            var gradPre = empty_like(pres[i]);
            var count = samples[i].Values.Length;
            at -= count;
            samples[i].Interpolant.Points.CopyTo(points, at);
            samples[i].BackwardToValues(Floats(pres[i]), Floats(upstream), Floats(gradPre), gradValues.AsSpan(at, count));

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
            linearGrads[2 * (i - 1)] = gradPre.t().mm(outputs[i - 1]);
            linearGrads[(2 * (i - 1)) + 1] = gradPre.sum(dim: 0L);
            upstream = gradPre.mm(weights[i - 1]);
            gradPre.Dispose();
        }

        var (weightGrads, biasGrads) = kernel.Backward(points, gradValues, new float[points.Length]);
        var activationGrads = new List<Tensor>(2 * kernel.Weights.Length);
        GridSample.AddAsTensors(activationGrads, weightGrads, biasGrads);

        foreach (var handle in saved)
        {
            handle.Dispose();
        }

        var grads = new List<Tensor>(2 + linearGrads.Length + activationGrads.Count) { gradFirst!, null! };
        grads.AddRange(linearGrads);
        grads.AddRange(activationGrads);
        return grads;
    }
}
