using LearnedActivation.Model.Configuration;

namespace LearnedActivation.Model.Reporting;

/// <summary>
/// The sweep's runs lined up against what it expected: one row per expected configuration and seed, in
/// the order of the expected configurations and then by seed, with a <see cref="RunOutcome.Missing"/>
/// stand-in wherever nothing was reported.
/// </summary>
internal sealed class SweepRuns
{
    private readonly Lazy<Claims.SweepShapes> _shapes;

    private SweepRuns(IReadOnlyList<ModelConfig> configs, IReadOnlyList<RunSummary> rows)
    {
        Configs = configs;
        Rows = rows;
        _shapes = new Lazy<Claims.SweepShapes>(() => Claims.SweepShapes.Of(rows));
    }

    /// <summary>The expected configurations, duplicates removed, in the caller's order.</summary>
    public IReadOnlyList<ModelConfig> Configs { get; }

    public IReadOnlyList<RunSummary> Rows { get; }

    /// <summary>Base activations present in the expected configurations, in enum order.</summary>
    public IReadOnlyList<BaseActivation> Bases => [.. Configs.Select(c => c.Base).Distinct().Order()];

    public IEnumerable<RunSummary> NotCompleted => Rows.Where(r => r.Outcome != RunOutcome.Completed);

    /// <summary>The learned functions in z-units and their pairwise distances, computed on first use (the pairwise fits take a while).</summary>
    public Claims.SweepShapes Shapes => _shapes.Value;

    /// <summary>
    /// Lines up <paramref name="runs"/> with the expected configurations. Expected seeds are
    /// <paramref name="expectedSeeds"/> when given, else the seeds the runs report (seed 0, the default, when
    /// there are no runs at all). A run of an unexpected configuration (which includes its arm) or seed, or two runs of the
    /// same configuration and seed, is a caller error: the report would otherwise silently drop or pick one.
    /// </summary>
    public static SweepRuns Create(IReadOnlyList<ModelConfig> expectedConfigs, IReadOnlyList<RunSummary> runs, IReadOnlyList<long>? expectedSeeds)
    {
        ArgumentNullException.ThrowIfNull(expectedConfigs);
        ArgumentNullException.ThrowIfNull(runs);
        if (expectedConfigs.Count == 0)
        {
            throw new ArgumentException("a sweep report needs at least one expected configuration", nameof(expectedConfigs));
        }

        var configs = expectedConfigs.Select(c => c ?? throw new ArgumentException("expected configurations must not contain null", nameof(expectedConfigs)))
            .Distinct()
            .ToList();
        var seeds = (expectedSeeds ?? runs.Select(r => r.Seed).ToList()).Distinct().Order().ToList();
        if (seeds.Count == 0)
        {
            seeds.Add(new TrainConfig().Seed);
        }

        // A configuration carries its arm, so (configuration, seed) identifies a run in every arm.
        var byKey = new Dictionary<(ModelConfig Config, long Seed), RunSummary>();
        foreach (var run in runs)
        {
            ArgumentNullException.ThrowIfNull(run, nameof(runs));
            if (!configs.Contains(run.Config) || !seeds.Contains(run.Seed))
            {
                throw new ArgumentException($"run '{run.RunName}' (configuration {run.Config.Name}, seed {run.Seed}) is not one the sweep expects", nameof(runs));
            }

            if (!byKey.TryAdd((run.Config, run.Seed), run))
            {
                throw new ArgumentException($"run '{run.RunName}': configuration {run.Config.Name} with seed {run.Seed} reported twice", nameof(runs));
            }
        }

        var severalSeeds = seeds.Count > 1;
        var rows = new List<RunSummary>(configs.Count * seeds.Count);
        foreach (var config in configs)
        {
            foreach (var seed in seeds)
            {
                rows.Add(byKey.TryGetValue((config, seed), out var run) ? run : RunSummary.Missing(config, seed, RunSummary.NameFor(config, seed, severalSeeds)));
            }
        }

        return new SweepRuns(configs, rows);
    }

    public IEnumerable<RunSummary> OfBase(BaseActivation baseActivation) => Rows.Where(r => r.Config.Base == baseActivation);

    /// <summary>
    /// The run that represents <paramref name="config"/> in the grid and overlay: the lowest seed that
    /// completed with a learned function; null when none did (the grid then shows the panel as missing).
    /// One curve per configuration keeps those figures readable when a sweep has several seeds (the table
    /// lists every seed); falling back to a later seed means one failed seed does not blank a panel that
    /// another seed can fill. A failed run's partial function is never shown as if it were a result.
    /// </summary>
    public RunSummary? Representative(ModelConfig config) =>
        Rows.Where(r => r.Config == config && r.Outcome == RunOutcome.Completed && r.LearnedActivation is not null)
            .OrderBy(r => r.Arm).ThenBy(r => r.Seed).FirstOrDefault();
}
