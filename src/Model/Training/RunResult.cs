using LearnedActivation.Model.Analysis;

namespace LearnedActivation.Model.Training;

/// <summary>
/// The outcome of a finished run, measured with the weights of the best validation accuracy, plus what the
/// plots need. Arrays are never modified after construction.
/// </summary>
/// <param name="ConfigName">The configuration's name ("tanh_small_small").</param>
/// <param name="SpecHash">The run's <see cref="Configuration.RunSpec.Hash"/>.</param>
/// <param name="History">Metrics of every epoch, in order.</param>
/// <param name="BestEpoch">1-based epoch whose weights are reported (first one with the best validation accuracy).</param>
/// <param name="BestValAccuracy">Validation accuracy of those weights.</param>
/// <param name="TestLoss">Test BCE-with-logits of the best weights.</param>
/// <param name="TestAccuracy">Test accuracy of the best weights.</param>
/// <param name="TestAuc">Test ROC AUC of the best weights.</param>
/// <param name="ActivationX">Grid on which the learned activation was sampled (ascending).</param>
/// <param name="ActivationY">The learned activation (best weights) at <paramref name="ActivationX"/>.</param>
/// <param name="PreActivationSample">Inputs the activation saw on test data (best weights), from all hidden layers.</param>
/// <param name="TrainingTime">Sum of the epochs' wall times.</param>
/// <param name="PreActivations">Distribution of every value the activation received on the whole test split (best weights).</param>
/// <param name="Analysis">The learned activation's measured shape and nearest known function, over the pooled distribution's bulk; null when the pre-activations span no interval.</param>
public sealed record RunResult(
    string ConfigName,
    string SpecHash,
    IReadOnlyList<EpochMetrics> History,
    int BestEpoch,
    double BestValAccuracy,
    double TestLoss,
    double TestAccuracy,
    double TestAuc,
    double[] ActivationX,
    double[] ActivationY,
    double[] PreActivationSample,
    TimeSpan TrainingTime,
    PreActivationDistribution PreActivations,
    ActivationAnalysis? Analysis);
