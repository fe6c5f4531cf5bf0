using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Reporting.Statistics;

namespace LearnedActivation.Model.Reporting.Transfer;

/// <summary>The transfer arms of one source configuration against <c>fixed</c> (same base, outer size and seed).</summary>
/// <param name="Source">The source configuration (base, outer, activation size, and the source's arm).</param>
/// <param name="Seeds">Seeds with a completed <c>fixed</c> run.</param>
/// <param name="FixedAccuracy">Test accuracy of <c>fixed</c> over those seeds.</param>
/// <param name="Comparisons">Per arm that has a pair, the paired difference of test accuracy against <c>fixed</c>.</param>
public sealed record TransferRow(ModelConfig Source, int Seeds, MeanInterval? FixedAccuracy, IReadOnlyDictionary<StudyArm, PairedComparison> Comparisons)
{
    /// <summary>
    /// The control: <c>frozen</c> − <c>random-frozen</c>, paired by seed (null without a pair). Above zero, the learned
    /// shape carries something a fixed random curve of the same size does not.
    /// </summary>
    public PairedComparison? FrozenVsRandom { get; init; }

    /// <summary>"tanh / small / medium (learned)".</summary>
    public string Label => $"{Names.Of(Source.Base)} / {Names.Of(Source.Outer)} / {Names.Of(Source.Activation)} ({Names.Of(Source.Arm)})";
}

/// <summary>
/// Paired differences against <c>fixed</c> per source configuration and arm, with the study's statistics
/// (<see cref="MeanInterval"/>: 95 % t-interval over seeds; <see cref="Equivalence"/>: the verdict at its margin).
/// Pairs are matched by seed: the same seed means the same split, outer initialisation and data order in every arm.
/// <c>frozen</c> and <c>finetuned</c> belong to the source configuration they came from; when a source sweep had
/// several runs of one configuration (its seeds), their accuracies are averaged per transfer seed first, so each seed
/// counts once. <c>learned</c> and <c>random-frozen</c> have no source: they are the same for every source of their
/// base, outer size and activation size, and are shown with each.
/// </summary>
public static class TransferStatistics
{
    /// <summary>The arms compared against <c>fixed</c>, in table order.</summary>
    public static IReadOnlyList<StudyArm> Compared { get; } = [StudyArm.Frozen, StudyArm.Finetuned, StudyArm.Learned, StudyArm.RandomFrozen];

    public static IReadOnlyList<TransferRow> Of(IReadOnlyList<TransferRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var fixedAccuracy = runs.Where(r => r.Arm == StudyArm.Fixed && r.TestAccuracy is not null)
            .GroupBy(r => (r.Summary.Config.Base, r.Summary.Config.Outer, r.Seed))
            .ToDictionary(g => g.Key, g => g.First().TestAccuracy!.Value);

        var sources = runs.Select(r => r.SourceConfig).OfType<ModelConfig>().Distinct()
            .OrderBy(c => c.Base).ThenBy(c => c.Outer).ThenBy(c => c.Activation).ThenBy(c => c.Arm);
        return [.. sources.Select(source =>
        {
            var seeds = fixedAccuracy.Keys.Where(k => k.Base == source.Base && k.Outer == source.Outer).Select(k => k.Seed).Order().ToList();
            var comparisons = new Dictionary<StudyArm, PairedComparison>();
            foreach (var arm in Compared)
            {
                var accuracy = SeedMeans(runs, arm, source);
                if (Paired(seeds.Where(accuracy.ContainsKey).Select(seed => accuracy[seed] - fixedAccuracy[(source.Base, source.Outer, seed)]), StudyArm.Fixed) is { } comparison)
                {
                    comparisons[arm] = comparison;
                }
            }

            var frozen = SeedMeans(runs, StudyArm.Frozen, source);
            var random = SeedMeans(runs, StudyArm.RandomFrozen, source);
            return new TransferRow(source, seeds.Count, MeanInterval.Of(seeds.Select(s => fixedAccuracy[(source.Base, source.Outer, s)])), comparisons)
            {
                FrozenVsRandom = Paired(frozen.Keys.Order().Where(random.ContainsKey).Select(seed => frozen[seed] - random[seed]), StudyArm.RandomFrozen),
            };
        })];
    }

    /// <summary>Per seed, the mean test accuracy of the completed runs of <paramref name="arm"/> that belong to <paramref name="source"/>.</summary>
    private static Dictionary<long, double> SeedMeans(IReadOnlyList<TransferRun> runs, StudyArm arm, ModelConfig source) =>
        runs.Where(r => r.Arm == arm && r.TestAccuracy is not null && BelongsTo(r, source))
            .GroupBy(r => r.Seed)
            .ToDictionary(g => g.Key, g => g.Average(r => r.TestAccuracy!.Value));

    private static PairedComparison? Paired(IEnumerable<double> differences, StudyArm against) =>
        MeanInterval.Of(differences) is { } difference ? new PairedComparison(against, difference, Equivalence.Judge(difference)) : null;

    private static bool BelongsTo(TransferRun run, ModelConfig source) =>
        run.SourceConfig is { } from
            ? from == source
            : run.Summary.Config.Base == source.Base && run.Summary.Config.Outer == source.Outer && run.Summary.Config.Activation == source.Activation;
}
