using LearnedActivation.Model.Configuration;

namespace LearnedActivation.Model.Reporting.Transfer;

/// <summary>
/// One run of a transfer sweep as its report sees it: what the run reported, and, in the arms <c>frozen</c> and
/// <c>finetuned</c>, the source run its activation came from and that run's configuration (its arm: learned or warm).
/// </summary>
public sealed record TransferRun(RunSummary Summary, string? SourceRun, ModelConfig? SourceConfig)
{
    public StudyArm Arm => Summary.Arm;

    public long Seed => Summary.Seed;

    /// <summary>The test accuracy of a completed run; null otherwise.</summary>
    public double? TestAccuracy => Summary.Outcome == RunOutcome.Completed && Summary.TestAccuracy is { } a && double.IsFinite(a) ? a : null;
}
