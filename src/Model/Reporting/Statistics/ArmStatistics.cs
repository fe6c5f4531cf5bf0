using LearnedActivation.Model.Configuration;

namespace LearnedActivation.Model.Reporting.Statistics;

/// <summary>
/// One configuration of one arm. The plain-base arms have no activation network, so their
/// <see cref="Activation"/> is null: one fixed run serves every activation size of its base and outer size.
/// </summary>
public sealed record ArmGroup(BaseActivation Base, SizePreset Outer, SizePreset? Activation, StudyArm Arm)
{
    public static bool HasActivationNetwork(StudyArm arm) => arm.HasActivationNetwork();

    public static ArmGroup Of(RunSummary run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new ArmGroup(run.Config.Base, run.Config.Outer, HasActivationNetwork(run.Arm) ? run.Config.Activation : null, run.Arm);
    }

    /// <summary>"tanh / small / medium / learned", "-" for the activation size of a plain-base arm.</summary>
    public string Label => $"{Names.Of(Base)} / {Names.Of(Outer)} / {(Activation is { } a ? Names.Of(a) : "-")} / {Names.Of(Arm)}";
}

/// <summary>A paired difference (this arm minus <paramref name="Against"/>, same base, outer size and seed) of test accuracy.</summary>
public sealed record PairedComparison(StudyArm Against, MeanInterval Difference, ComparisonVerdict Verdict);

/// <summary>Test metrics over the seeds of one <see cref="ArmGroup"/>, and its paired comparisons with the plain-base arms.</summary>
public sealed record GroupStatistics(
    ArmGroup Group,
    int Seeds,
    MeanInterval? TestAccuracy,
    MeanInterval? TestAuc,
    MeanInterval? TestLoss,
    IReadOnlyList<PairedComparison> Comparisons)
{
    public PairedComparison? Against(StudyArm arm) => Comparisons.FirstOrDefault(c => c.Against == arm);
}

/// <summary>
/// Per configuration and arm: the number of completed seeds, mean and 95 % t-interval of test accuracy, AUC and
/// log-loss, and, for the arms with an activation network, the paired difference of test accuracy against
/// <c>fixed</c> and <c>fixed-wide</c>. Pairs are matched by base, outer size and seed: the same seed means the same
/// split, the same outer initialisation and the same data order, so pairing removes that noise from the difference.
/// </summary>
public static class ArmStatistics
{
    /// <summary>The arms an activation-network arm is compared against.</summary>
    public static IReadOnlyList<StudyArm> Baselines { get; } = [StudyArm.Fixed, StudyArm.FixedWide];

    public static IReadOnlyList<GroupStatistics> Of(IEnumerable<RunSummary> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var completed = runs.Where(r => r.Outcome == RunOutcome.Completed).ToList();
        var baselineAccuracy = completed
            .Where(r => !ArmGroup.HasActivationNetwork(r.Arm) && r.TestAccuracy is { } a && double.IsFinite(a))
            .GroupBy(r => (r.Arm, r.Config.Base, r.Config.Outer, r.Seed))
            .ToDictionary(g => g.Key, g => g.First().TestAccuracy!.Value);

        return [.. completed
            .GroupBy(ArmGroup.Of)
            .OrderBy(g => g.Key.Base).ThenBy(g => g.Key.Outer).ThenBy(g => g.Key.Activation).ThenBy(g => g.Key.Arm)
            .Select(g =>
            {
                var members = g.ToList();
                var comparisons = ArmGroup.HasActivationNetwork(g.Key.Arm)
                    ? Baselines.Select(b => Compare(members, b, baselineAccuracy)).OfType<PairedComparison>().ToList()
                    : [];
                return new GroupStatistics(
                    g.Key,
                    members.Count,
                    MeanInterval.Of(members.Select(r => r.TestAccuracy ?? double.NaN)),
                    MeanInterval.Of(members.Select(r => r.TestAuc ?? double.NaN)),
                    MeanInterval.Of(members.Select(r => r.TestLoss ?? double.NaN)),
                    comparisons);
            })];
    }

    private static PairedComparison? Compare(
        IReadOnlyList<RunSummary> members,
        StudyArm baseline,
        Dictionary<(StudyArm Arm, BaseActivation Base, SizePreset Outer, long Seed), double> baselineAccuracy)
    {
        var differences = members
            .Where(r => r.TestAccuracy is { } a && double.IsFinite(a))
            .Select(r => baselineAccuracy.TryGetValue((baseline, r.Config.Base, r.Config.Outer, r.Seed), out var b) ? r.TestAccuracy!.Value - b : double.NaN)
            .Where(double.IsFinite)
            .ToList();
        var difference = MeanInterval.Of(differences);
        return difference is null ? null : new PairedComparison(baseline, difference, Equivalence.Judge(difference));
    }
}
