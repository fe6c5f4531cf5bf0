using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LearnedActivation.Model.Configuration;

namespace LearnedActivation.Model.Multitask;

/// <summary>
/// Everything that determines a multitask run's result: the configuration (base, outer size, activation size), how
/// it is trained, and the tasks' data by content hash, in task order. Like <see cref="RunSpec"/>, a checkpoint is
/// only resumed under the spec it was made for (<see cref="Hash"/>).
/// </summary>
public sealed record MultitaskRunSpec(ModelConfig Model, TrainConfig Train, IReadOnlyList<string> TaskContentHashes)
{
    /// <summary>"multitask_tanh_small_small": the learned configuration's name behind a prefix, so it never collides with a single-task run.</summary>
    public string Name => $"multitask_{(Model with { Arm = StudyArm.Learned }).Name}";

    /// <summary>SHA-256 (hex) of a canonical text form of the spec.</summary>
    public string Hash()
    {
        var t = Train;
        // The curvature penalty shapes the joint run since 2026-12-04 (before, it was read and ignored): in the hash, so
        // an older checkpoint, trained without it, is refused rather than continued under another objective.
        var canonical = string.Create(
            CultureInfo.InvariantCulture,
            $"multitask-v1|{Name}|maxEpochs={t.Epochs}|patience={t.Patience}|batch={t.BatchSize}|lr={t.LearningRate:R}|seed={t.Seed}|threads={t.TorchThreads}|eval={Names.Of(t.ActivationEval)}|curvature={t.ActivationCurvature:R}{DescentTerms(t)}|tasks={string.Join(',', TaskContentHashes)}");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    // The warm-up, the divergence guard and the activation's rate scale shape the joint run since 2026-12-04, in the
    // single-task hash's terms: each enters only when on, so a run trained before, without them, keeps its hash.
    private static string DescentTerms(TrainConfig t) =>
        RunSpec.ActivationRate(StudyArm.Learned, t) + RunSpec.Warmup(t) + RunSpec.Rollback(t);
}
