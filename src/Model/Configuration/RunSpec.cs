using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace LearnedActivation.Model.Configuration;

/// <summary>
/// Everything that determines a run's result: the configuration, how it is trained, and which data
/// (by content hash, so a renamed file is the same data and an edited one is not). A checkpoint is only
/// ever resumed under the spec it was made for; <see cref="Hash"/> is how that is checked.
/// </summary>
public sealed record RunSpec(ModelConfig Model, TrainConfig Train, string DataContentHash)
{
    /// <summary>The source run's learned activation that the arms <c>frozen</c> and <c>finetuned</c> start from; null in every other arm.</summary>
    public Checkpoints.SourceActivationWeights? SourceActivation { get; init; }

    /// <summary>SHA-256 (hex) of a canonical text form of the spec.</summary>
    public string Hash()
    {
        var t = Train;
        var canonical = string.Create(
            CultureInfo.InvariantCulture,
            $"v2|{Model.Name}|arm={Names.Of(Model.Arm)}|maxEpochs={t.Epochs}|patience={t.Patience}|batch={t.BatchSize}|lr={t.LearningRate:R}|seed={t.Seed}|threads={t.TorchThreads}|eval={Names.Of(t.ActivationEval)}|data={DataContentHash}{Curvature(Model.Arm, t)}{ActivationRate(Model.Arm, t)}{Warmup(t)}{Rollback(t)}{(SourceActivation is { } source ? $"|source={source.Hash}" : string.Empty)}");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    // Only where it acts (the learned arm) and only when on: the other arms' runs, which it does not change, and
    // runs without it keep the hash they had before the setting existed, so their stores still resume.
    private static string Curvature(StudyArm arm, TrainConfig t) =>
        arm == StudyArm.Learned && t.ActivationCurvature > 0 ? string.Create(CultureInfo.InvariantCulture, $"|curvature={t.ActivationCurvature:R}") : string.Empty;

    // As the curvature: only in the learned arm, whose activation network it updates, and only when not 1.
    internal static string ActivationRate(StudyArm arm, TrainConfig t) =>
        arm == StudyArm.Learned && t.ActivationLearningRateScale != 1 ? string.Create(CultureInfo.InvariantCulture, $"|actLrScale={t.ActivationLearningRateScale:R}") : string.Empty;

    // Only when on: runs without the guard keep their hash.
    internal static string Rollback(TrainConfig t) =>
        t.RollbackAbove > 0 ? string.Create(CultureInfo.InvariantCulture, $"|rollback={t.RollbackAbove:R}") : string.Empty;

    // Only when on, for the same reason: runs without a warm-up keep their hash.
    internal static string Warmup(TrainConfig t) =>
        t.LearningRateWarmup > 0 ? string.Create(CultureInfo.InvariantCulture, $"|warmup={t.LearningRateWarmup:R}") : string.Empty;
}
