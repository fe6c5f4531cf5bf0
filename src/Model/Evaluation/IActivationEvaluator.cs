using LearnedActivation.Model.Bases;
using LearnedActivation.Model.Networks;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Evaluation;

/// <summary>
/// How an <see cref="ActivationNetwork"/> is computed on a column of scalars. The seam exists because the
/// stock composition is the bottleneck of training (docs/benchmarks.md): faster strategies
/// (a fused kernel, knot interpolation) plug in here without touching the networks or the training loop.
/// </summary>
public interface IActivationEvaluator
{
    /// <summary>Short name for logs and metrics ("exact").</summary>
    string Name { get; }

    /// <summary>Evaluates <paramref name="network"/> on <paramref name="column"/> ([N, 1]) and returns [N, 1], differentiably.</summary>
    Tensor Evaluate(ActivationNetwork network, Tensor column);
}

/// <summary>The reference strategy: the layers composed with stock libtorch operations, as PyTorch would.</summary>
public sealed class ExactActivationEvaluator : IActivationEvaluator
{
    public static ExactActivationEvaluator Instance { get; } = new();

    public string Name => "exact";

    public Tensor Evaluate(ActivationNetwork network, Tensor column)
    {
        ArgumentNullException.ThrowIfNull(network);
        var layers = network.Layers;
        var hidden = column;
        for (var i = 0; i < layers.Count; i++)
        {
            hidden = layers[i].forward(hidden);
            if (i < layers.Count - 1)
            {
                hidden = BaseActivations.Of(network.Base).Apply(hidden);
            }
        }

        return hidden;
    }
}
