using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Evaluation.Fused;
using static LearnedActivation.Model.Networks.TensorMemory;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Evaluation.Grid;

/// <summary>
/// Forward of <see cref="GridStackFunction"/>, computed outside autograd before the node is made, so that a column
/// the grid cannot take (a NaN or infinity in its range, too few scalars) leaves no half-built node: the caller
/// then composes layer by layer instead. Each hidden layer's pre-activation, <see cref="GridSample"/> and output.
/// </summary>
internal sealed class GridStack
{
    private GridStack(FusedActivationKernel kernel, Tensor[] preActivations, GridSample[] samples, Tensor[] outputs)
    {
        Kernel = kernel;
        PreActivations = preActivations;
        Samples = samples;
        Outputs = outputs;
    }

    public FusedActivationKernel Kernel { get; }

    /// <summary>Layer by layer, the column the activation was applied to ([batch, width], contiguous); the first is the caller's.</summary>
    public IReadOnlyList<Tensor> PreActivations { get; }

    public IReadOnlyList<GridSample> Samples { get; }

    /// <summary>Layer by layer, the activation's output; the last is the node's output.</summary>
    public IReadOnlyList<Tensor> Outputs { get; }

    /// <summary>
    /// The stack's forward, or null where a layer's column holds no more than <paramref name="knots"/> scalars or
    /// has a non-finite range (everything made so far is disposed).
    /// </summary>
    public static GridStack? TryCompute(FusedActivationKernel kernel, BaseActivation baseActivation, Tensor firstPre, IReadOnlyList<(Tensor Weight, Tensor Bias)> following, int knots)
    {
        using var noGrad = no_grad();
        var pres = new Tensor[following.Count + 1];
        var samples = new GridSample[following.Count + 1];
        var outputs = new Tensor[following.Count + 1];
        var pre = firstPre.is_contiguous() ? firstPre : firstPre.contiguous();
        for (var i = 0; i <= following.Count; i++)
        {
            pres[i] = pre;
            (double Low, double High) range = pre.numel() > knots ? GridActivationEvaluator.Range(pre) : (double.NaN, double.NaN);
            if (!double.IsFinite(range.Low) || !double.IsFinite(range.High))
            {
                DisposeMade(firstPre, pres, outputs);
                return null;
            }

            samples[i] = GridSample.Take(kernel, baseActivation, range.Low, range.High, knots, backwardExpected: true);
            outputs[i] = empty_like(pre);
            samples[i].Forward(Floats(pre), Floats(outputs[i]));
            if (i < following.Count)
            {
                pre = nn.functional.linear(outputs[i], following[i].Weight, following[i].Bias);
            }
        }

        return new GridStack(kernel, pres, samples, outputs);
    }

    private static void DisposeMade(Tensor firstPre, Tensor?[] pres, Tensor?[] outputs)
    {
        foreach (var made in pres.Concat(outputs))
        {
            if (made is not null && !ReferenceEquals(made, firstPre))
            {
                made.Dispose();
            }
        }
    }
}
