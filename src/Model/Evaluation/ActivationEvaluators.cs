using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Evaluation.Fused;
using LearnedActivation.Model.Evaluation.Grid;

namespace LearnedActivation.Model.Evaluation;

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
