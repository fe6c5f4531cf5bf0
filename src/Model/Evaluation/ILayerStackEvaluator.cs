using LearnedActivation.Model.Networks;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Evaluation;

/// <summary>
/// An <see cref="IActivationEvaluator"/> that can also take the outer network's whole hidden stack at once:
/// the activation after the first layer, then each following linear layer and the activation again. It exists for
/// the cost of autograd nodes: a custom node per hidden layer costs, at batch 512, about as much as a relu column's
/// whole grid interpolation (docs/benchmarks.md, issue 13.4).
/// </summary>
public interface ILayerStackEvaluator
{
    /// <summary>
    /// <c>f(Lk(... f(L2(f(<paramref name="firstPreActivation"/>))) ...))</c> for the layers L2..Lk of
    /// <paramref name="followingLayers"/> and f the activation <paramref name="network"/>, differentiably; null where
    /// this evaluator declines (the caller then composes layer by layer). Gradients must be those of the layer-by-layer
    /// composition with <see cref="IActivationEvaluator.Evaluate"/>.
    /// </summary>
    Tensor? EvaluateStack(ActivationNetwork network, Tensor firstPreActivation, IReadOnlyList<Linear> followingLayers);
}
