using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Networks;

namespace LearnedActivation.Model.Training;

/// <summary>
/// How a run's parameters are grouped for <see cref="AdamOptimizer"/>: the outer layers with the run's learning
/// rate and no decay; in the <c>learned</c> arm the activation network with AdamW's decoupled weight decay
/// <see cref="LearnedActivationWeightDecay"/>. Why: learned from scratch, the shared activation network lets the
/// outer network fit faster than the plain base but generalise worse (at the same training loss the validation
/// loss gap doubled: tanh, large outer network, seed 0, 0.075 against 0.035), so runs stopped 2-6 pp below the
/// fixed arm. The decay keeps the function from growing steep, and closed most of that gap on the worst
/// configuration (docs/study-results.md, "Closing the gap"). The warm arm keeps plain Adam, as before.
/// Order: outer parameters first, then the activation network's, as <c>parameters()</c> lists them, so the
/// saved optimizer state keeps its layout.
/// </summary>
public static class OptimizerGroups
{
    /// <summary>Decoupled weight decay on the learned arm's activation network (per step: times 1 - lr * decay).</summary>
    public const double LearnedActivationWeightDecay = 3.0;

    private const string ActivationPrefix = "activation.";

    public static IReadOnlyList<AdamParameterGroup> For(LearnedActivationNetwork model, StudyArm arm, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(model);
        var named = model.named_parameters().ToArray();
        var outer = named.Where(n => !n.name.StartsWith(ActivationPrefix, StringComparison.Ordinal)).Select(n => n.parameter).ToArray();
        var activation = named.Where(n => n.name.StartsWith(ActivationPrefix, StringComparison.Ordinal)).Select(n => n.parameter).ToArray();
        var decay = arm == StudyArm.Learned ? LearnedActivationWeightDecay : 0;
        return [new AdamParameterGroup(outer, learningRate), new AdamParameterGroup(activation, learningRate, decay)];
    }
}
