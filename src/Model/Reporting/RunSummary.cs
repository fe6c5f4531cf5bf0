using LearnedActivation.Model.Analysis;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Plots;

namespace LearnedActivation.Model.Reporting;

/// <summary>
/// What the sweep report needs to know about one run: plain data, so the coordinator can build it from
/// whatever it stored and keep it as JSON (<see cref="RunSummaryJson"/>).
/// </summary>
/// <param name="Config">The configuration the run trained.</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="RunName">"tanh_small_medium", or "tanh_small_medium_s1" when the sweep has several seeds (<see cref="NameFor"/>).</param>
/// <param name="Outcome">How the run ended.</param>
/// <param name="Error">Why it failed, when it did; shown in the report's "Missing runs" section.</param>
/// <param name="EpochsCompleted">Epochs trained (a failed run may have some).</param>
/// <param name="BestEpoch">Epoch whose weights were kept (lowest validation loss); 0 when none.</param>
/// <param name="ValAccuracy">Validation accuracy of the kept weights, as a fraction.</param>
/// <param name="ValAuc">Validation ROC AUC of the kept weights.</param>
/// <param name="TestAccuracy">Test accuracy of the kept weights, as a fraction.</param>
/// <param name="TestAuc">Test ROC AUC of the kept weights.</param>
/// <param name="TrainingTime">Wall time spent training.</param>
/// <param name="LearnedActivation">The learned activation function sampled over its x range; null when there is none.</param>
/// <param name="Curves">Per-epoch train loss, validation loss and validation accuracy; null when none were recorded.</param>
/// <param name="Analysis">The learned activation's analysis; null for runs without a result and summaries stored before it existed.</param>
/// <param name="TestLoss">Test log-loss (BCE) of the kept weights; null when unknown.</param>
/// <param name="PreActivations">The pooled distribution of the activation's inputs on the test split; null when unknown.</param>
public sealed record RunSummary(
    ModelConfig Config,
    long Seed,
    string RunName,
    RunOutcome Outcome,
    string? Error,
    int EpochsCompleted,
    int BestEpoch,
    double? ValAccuracy,
    double? ValAuc,
    double? TestAccuracy,
    double? TestAuc,
    TimeSpan TrainingTime,
    FunctionCurve? LearnedActivation,
    EpochSeries? Curves,
    ActivationAnalysis? Analysis = null,
    double? TestLoss = null,
    PreActivationStats? PreActivations = null)
{
    public ModelConfig Config { get; init; } = Config ?? throw new ArgumentNullException(nameof(Config));

    public string RunName { get; init; } = string.IsNullOrWhiteSpace(RunName) ? throw new ArgumentException("run name must not be empty", nameof(RunName)) : RunName;

    /// <summary>The arm the run trained in (part of <see cref="Config"/>).</summary>
    public StudyArm Arm => Config.Arm;

    /// <summary>Trainable parameters of the outer network (output layer included); null when unknown.</summary>
    public long? OuterParameters { get; init; }

    /// <summary>Trainable parameters of the activation network (0 in the fixed arms); null when unknown.</summary>
    public long? ActivationParameters { get; init; }

    /// <summary>Train-split accuracy of the kept weights; with <see cref="TestAccuracy"/> the generalisation gap.</summary>
    public double? TrainAccuracy { get; init; }

    /// <summary>Mean squared error of the warm start's fit to the base; only in the warm arm.</summary>
    public double? WarmStartFitError { get; init; }

    /// <summary>Stopped by the patience (true) or by the epoch cap (false); null when unknown.</summary>
    public bool? StoppedEarly { get; init; }

    /// <summary>
    /// The run name the sweep uses: the configuration name, with "_s{seed}" appended when the sweep has
    /// several seeds (so names of a single-seed sweep stay the study's names).
    /// </summary>
    public static string NameFor(ModelConfig config, long seed, bool severalSeeds)
    {
        ArgumentNullException.ThrowIfNull(config);
        return severalSeeds ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{config.Name}_s{seed}") : config.Name;
    }

    /// <summary>A run the sweep expected but has nothing about.</summary>
    public static RunSummary Missing(ModelConfig config, long seed, string runName) =>
        new(config, seed, runName, RunOutcome.Missing, Error: null, EpochsCompleted: 0, BestEpoch: 0, ValAccuracy: null, ValAuc: null,
            TestAccuracy: null, TestAuc: null, TrainingTime: TimeSpan.Zero, LearnedActivation: null, Curves: null);
}
