using LearnedActivation.Model.Configuration;

namespace LearnedActivation.Model.Networks;

/// <summary>Maps <see cref="ActivationEvaluation"/> to the evaluator that implements it, in one place.</summary>
public static class ActivationEvaluators
{
    public static IActivationEvaluator For(ActivationEvaluation mode) => mode switch
    {
        ActivationEvaluation.Exact => ExactActivationEvaluator.Instance,
        ActivationEvaluation.Fused => FusedActivationEvaluator.Instance,
        ActivationEvaluation.Grid => GridActivationEvaluator.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown activation evaluation"),
    };
}
