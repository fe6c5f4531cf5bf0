using LearnedActivation.Model.Configuration;

namespace LearnedActivation.Grains.Contracts;

/// <summary>
/// Where a transfer run's starting activation comes from: a run of any sweep whose artifacts hold its learned
/// activation (<c>activation.dat</c>, the format every run with an activation network saves), and that run's
/// configuration, which fixes the activation network's shape and the outer size the transfer trains.
/// Nothing here says how the source was trained: a learned or warm run of a study, or any other kind of run that
/// saves its activation the same way.
/// </summary>
[GenerateSerializer, Immutable, Alias("la.ActivationSource")]
public sealed record ActivationSource(
    [property: Id(0)] string SweepId,
    [property: Id(1)] string RunName,
    [property: Id(2)] BaseActivation Base,
    [property: Id(3)] SizePreset Outer,
    [property: Id(4)] SizePreset Activation,
    [property: Id(5)] StudyArm Arm)
{
    public RunKey Run => new(SweepId, RunName);

    /// <summary>The source run's configuration (its arm is the source's: learned or warm).</summary>
    public ModelConfig Config => new(Base, Outer, Activation, Arm);
}

/// <summary>
/// What makes a sweep a transfer sweep (<c>learnact transfer</c>, docs/transfer-results.md): the finished sweep its
/// activations come from and, resolved when the transfer was created, the source runs. The sweep's seeds, budget
/// and data (the target) are the spec's own; its arms are <see cref="StudyArms.Transfer"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("la.TransferSpec")]
public sealed record TransferSpec(
    [property: Id(0)] string SourceSweepId,
    [property: Id(1)] IReadOnlyList<ActivationSource> Sources)
{
    /// <summary>Value equality over the list too.</summary>
    public bool SameAs(TransferSpec? other) =>
        other is not null && SourceSweepId == other.SourceSweepId && Sources.SequenceEqual(other.Sources);

    /// <summary>
    /// The runs of a transfer sweep, per arm in <paramref name="arms"/>' order and then per seed:
    /// <c>fixed</c> once per base and outer size of the sources ("tanh_small_fixed"); <c>learned</c> and
    /// <c>random-frozen</c> once per source configuration (base, outer, activation size: "tanh_small_medium",
    /// "tanh_small_medium_random-frozen"); <c>frozen</c> and <c>finetuned</c> once per source run, named after it
    /// ("tanh_small_medium_s0_frozen"). "_s{seed}" is appended when there are several seeds, as in every sweep.
    /// </summary>
    public IReadOnlyList<RunDefinition> Runs(IReadOnlyList<StudyArm> arms, IReadOnlyList<long> seeds)
    {
        ArgumentNullException.ThrowIfNull(arms);
        ArgumentNullException.ThrowIfNull(seeds);
        var withSeed = seeds.Count > 1;
        var runs = new List<RunDefinition>();
        foreach (var arm in arms)
        {
            foreach (var (stem, config, source) in Stems(arm))
            {
                runs.AddRange(seeds.Select(seed => new RunDefinition(withSeed ? $"{stem}_s{seed}" : stem, config.Base, config.Outer, config.Activation, seed) { Arm = arm, Source = source }));
            }
        }

        return runs;
    }

    private IEnumerable<(string Stem, ModelConfig Config, ActivationSource? Source)> Stems(StudyArm arm)
    {
        if (arm.NeedsSourceActivation())
        {
            return Sources.Select(s => ($"{s.RunName}_{Names.Of(arm)}", new ModelConfig(s.Base, s.Outer, s.Activation, arm), (ActivationSource?)s));
        }

        // Without a source the run depends only on the configuration: one per distinct configuration, not per source run.
        return Sources.Select(s => new ModelConfig(s.Base, s.Outer, s.Activation, arm)).Distinct()
            .Select(c => (c.Name, c, (ActivationSource?)null));
    }
}
