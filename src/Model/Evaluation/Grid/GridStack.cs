using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Evaluation.Fused;
using static LearnedActivation.Model.Networks.TensorMemory;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Evaluation.Grid;

/// <summary>
/// Forward of <see cref="GridStackFunction"/>, computed outside autograd before the node is made, so that a column
/// the grid cannot take (a NaN or infinity in its range, too few scalars) leaves no half-built node: the caller
/// then composes layer by layer instead. Holds what backward needs: each hidden layer's pre-activation, its
/// <see cref="GridSample"/> and its output.
/// </summary>
internal sealed class GridStack
{
    private GridStack(FusedActivationKernel kernel, IReadOnlyList<(Tensor Weight, Tensor Bias)> following, List<Layer> layers)
    {
        Kernel = kernel;
        Following = following;
        Layers = layers;
    }

    public FusedActivationKernel Kernel { get; }

    /// <summary>The outer linear layers after the first activation (layer i + 1 maps Layers[i].Output).</summary>
    public IReadOnlyList<(Tensor Weight, Tensor Bias)> Following { get; }

    public IReadOnlyList<Layer> Layers { get; }

    /// <summary>The last hidden layer's activation: the node's output.</summary>
    public Tensor Output => Layers[^1].Output;

    /// <summary>
    /// The stack's forward, or null where a layer's column holds no more than <paramref name="knots"/> scalars or
    /// has a non-finite range (everything made so far is disposed).
    /// </summary>
    public static GridStack? TryCompute(FusedActivationKernel kernel, BaseActivation baseActivation, Tensor firstPre, IReadOnlyList<(Tensor Weight, Tensor Bias)> following, int knots)
    {
        using var noGrad = no_grad();
        var layers = new List<Layer>(following.Count + 1);
        var pre = firstPre.is_contiguous() ? firstPre : firstPre.contiguous();
        for (var i = 0; ; i++)
        {
            (double Low, double High) range = pre.numel() > knots ? GridActivationEvaluator.Range(pre) : (double.NaN, double.NaN);
            if (!double.IsFinite(range.Low) || !double.IsFinite(range.High))
            {
                if (!ReferenceEquals(pre, firstPre))
                {
                    pre.Dispose();
                }

                foreach (var made in layers)
                {
                    made.Dispose(firstPre);
                }

                return null;
            }

            var sample = GridSample.Take(kernel, baseActivation, range.Low, range.High, knots, backwardExpected: true);
            var output = empty_like(pre);
            sample.Forward(Floats(pre), Floats(output));
            layers.Add(new Layer(pre, sample, output));
            if (i == following.Count)
            {
                return new GridStack(kernel, following, layers);
            }

            pre = nn.functional.linear(output, following[i].Weight, following[i].Bias);
        }
    }

    internal sealed record Layer(Tensor Pre, GridSample Sample, Tensor Output)
    {
        public void Dispose(Tensor keep)
        {
            if (!ReferenceEquals(Pre, keep))
            {
                Pre.Dispose();
            }

            Output.Dispose();
        }
    }
}
