using LearnedActivation.Model.Analysis;
using LearnedActivation.Model.Configuration;

namespace LearnedActivation.Model.Training;

/// <summary>
/// The outcome of a finished run, measured with the weights of the best epoch (lowest validation loss), plus what
/// the plots need. Arrays are never modified after construction; the activation curve is empty in the fixed arms.
/// </summary>
/// <param name="ConfigName">The configuration's name ("tanh_small_small").</param>
/// <param name="SpecHash">The run's <see cref="Configuration.RunSpec.Hash"/>.</param>
/// <param name="History">Metrics of every epoch, in order.</param>
/// <param name="BestEpoch">1-based epoch whose weights are reported (first one with the lowest validation loss).</param>
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
    ActivationAnalysis? Analysis)
{
    /// <summary>The arm the run trained in.</summary>
    public StudyArm Arm { get; init; } = StudyArms.Default;

    /// <summary>Trainable parameters of the outer network and of the activation network (0 in the fixed arms).</summary>
    public ParameterCounts Parameters { get; init; } = new(0, 0);

    /// <summary>Accuracy of the reported weights on the train split (minus <see cref="TestAccuracy"/>: the generalisation gap).</summary>
    public double TrainAccuracy { get; init; } = double.NaN;

    /// <summary>Mean squared error of the warm start's fit to the base function; null unless the arm is <see cref="StudyArm.Warm"/>.</summary>
    public double? WarmStartFitError { get; init; }

    /// <summary>Stopped by the patience; false when the epoch cap ended it.</summary>
    public bool StoppedEarly { get; init; }

    /// <summary>Epochs after which training went back to the best weights (<see cref="Configuration.TrainConfig.RollbackAbove"/>); empty for most runs.</summary>
    public IReadOnlyList<int> Rollbacks { get; init; } = [];
}
