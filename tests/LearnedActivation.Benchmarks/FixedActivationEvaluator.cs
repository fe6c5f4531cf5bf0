using LearnedActivation.Model.Bases;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Evaluation;
using LearnedActivation.Model.Networks;
using static TorchSharp.torch;

namespace LearnedActivation.Benchmarks;

/// <summary>
/// The baseline: the plain base function (torch tanh/relu/gelu) in place of the learned one, so that the
/// outer network, the loss and the optimizer are exactly those of the other modes.
/// </summary>
internal sealed class FixedActivationEvaluator(BaseActivation baseActivation) : IActivationEvaluator
{
    public string Name => "fixed";

    public Tensor Evaluate(ActivationNetwork network, Tensor column) => BaseActivations.Of(baseActivation).Apply(column);
}
