using LearnedActivation.Model.Configuration;

namespace LearnedActivation.Grains.Contracts;

/// <summary>
/// What a sweep trains: the axes whose product gives its runs, one budget shared by all runs, the data,
/// and how often runs checkpoint. Immutable once a sweep exists: starting the same id again with a
/// different spec is refused, so that resumed runs never mix two specs.
/// </summary>
[GenerateSerializer, Immutable, Alias("la.SweepSpec")]
public sealed record SweepSpec(
    [property: Id(0)] string Id,
    [property: Id(1)] SweepAxes Axes,
    [property: Id(2)] TrainingBudget Budget,
    [property: Id(3)] DataSpec Data,
    [property: Id(4)] int CheckpointEvery = 1)
{
    /// <summary>The study: 3 bases x 3 outer sizes x 3 activation sizes, learned arm, one seed, the study's budget, OpenML data.</summary>
    public static SweepSpec Default(string id) => new(id, SweepAxes.Study, TrainingBudget.Study, DataSpec.OpenMlDefault);

    /// <summary>A multitask sweep (<see cref="MultitaskSweep"/>): its <see cref="Data"/> is the held-out task; null for any other sweep.</summary>
    [Id(6)]
    public MultitaskSweep? Multitask { get; init; }

    /// <summary>A transfer sweep (<see cref="TransferSpec"/>); null for a study sweep. Its axes list the sources' bases and sizes and the transfer arms.</summary>
    [Id(5)]
    public TransferSpec? Transfer { get; init; }

    /// <summary>A transfer sweep: every arm of <see cref="StudyArms.Transfer"/> for every source and seed, on <paramref name="target"/>.</summary>
    public static SweepSpec ForTransfer(string id, TransferSpec transfer, IReadOnlyList<long> seeds, TrainingBudget budget, DataSpec target, int checkpointEvery = 1)
    {
        ArgumentNullException.ThrowIfNull(transfer);
        var sources = transfer.Sources;
        var axes = new SweepAxes(
            [.. sources.Select(s => s.Base).Distinct()],
            [.. sources.Select(s => s.Outer).Distinct()],
            [.. sources.Select(s => s.Activation).Distinct()],
            seeds)
        {
            Arms = StudyArms.Transfer,
        };
        return new SweepSpec(id, axes, budget, target, checkpointEvery) { Transfer = transfer };
    }

    /// <summary>
    /// The runs of the sweep in a stable order (base, outer, arm, activation, seed): every configuration of
    /// <see cref="Configs"/> with every seed. Names are the configuration's (<see cref="ModelConfig.Name"/>), with
    /// "_s{seed}" appended when the sweep has several seeds.
    /// </summary>
    public IReadOnlyList<RunDefinition> Runs()
    {
        if (Transfer is not null)
        {
            return Transfer.Runs(Axes.Arms, Axes.Seeds);
        }

        if (Multitask is not null)
        {
            return Multitask.Runs(Id, Axes);
        }

        var withSeed = Axes.Seeds.Count > 1;
        return [.. from model in Configs()
                   from seed in Axes.Seeds
                   select new RunDefinition(withSeed ? $"{model.Name}_s{seed}" : model.Name, model.Base, model.Outer, model.Activation, seed) { Arm = model.Arm }];
    }

    /// <summary>
    /// The configurations of the sweep: per base and outer size, each arm with an activation network once per
    /// activation size, each fixed arm once (the activation size does not apply to it).
    /// </summary>
    public IReadOnlyList<ModelConfig> Configs()
    {
        if (Transfer is not null || Multitask is not null)
        {
            return [.. Runs().Select(r => r.Model).Distinct()];
        }

        var configs = new List<ModelConfig>();
        foreach (var b in Axes.Bases)
        {
            foreach (var outer in Axes.OuterSizes)
            {
                foreach (var arm in Axes.Arms)
                {
                    var sizes = arm.HasActivationNetwork() ? Axes.ActivationSizes : [ModelConfig.DefaultSize];
                    configs.AddRange(sizes.Select(act => new ModelConfig(b, outer, act, arm)));
                }
            }
        }

        return configs;
    }

    /// <summary>Value equality over the lists too (records compare lists by reference).</summary>
    public bool SameAs(SweepSpec other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Id == other.Id
            && Axes.Bases.SequenceEqual(other.Axes.Bases)
            && Axes.OuterSizes.SequenceEqual(other.Axes.OuterSizes)
            && Axes.ActivationSizes.SequenceEqual(other.Axes.ActivationSizes)
            && Axes.Seeds.SequenceEqual(other.Axes.Seeds)
            && Axes.Arms.SequenceEqual(other.Axes.Arms)
            && Budget == other.Budget
            && Data == other.Data
            && CheckpointEvery == other.CheckpointEvery
            && (Transfer is null ? other.Transfer is null : Transfer.SameAs(other.Transfer))
            && (Multitask is null ? other.Multitask is null : Multitask.SameAs(other.Multitask));
    }
}

/// <summary>The axes of a sweep; every combination is one run (the fixed arms do not multiply by activation size).</summary>
[GenerateSerializer, Immutable, Alias("la.SweepAxes")]
public sealed record SweepAxes(
    [property: Id(0)] IReadOnlyList<BaseActivation> Bases,
    [property: Id(1)] IReadOnlyList<SizePreset> OuterSizes,
    [property: Id(2)] IReadOnlyList<SizePreset> ActivationSizes,
    [property: Id(3)] IReadOnlyList<long> Seeds)
{
    /// <summary>The arms, in the spec's order; a spec stored before arms existed trained the learned arm only.</summary>
    [Id(4)]
    public IReadOnlyList<StudyArm> Arms { get; init; } = [StudyArms.Default];

    /// <summary>
    /// The default study (and what a spec's omitted axes fall back to): the 27 configurations of the learned arm and
    /// the 9 fixed baselines, 3 seeds each (108 runs), so that every learned run has its paired baseline and every
    /// configuration an interval.
    /// </summary>
    public static SweepAxes Study { get; } = new(
        StudyPresets.Bases,
        Enum.GetValues<SizePreset>(),
        Enum.GetValues<SizePreset>(),
        [0L, 1L, 2L])
    {
        Arms = [StudyArm.Learned, StudyArm.Fixed],
    };
}

/// <summary>How every run of a sweep is trained (the seed comes from the axes); <see cref="Epochs"/> is the cap (<c>maxEpochs</c>).</summary>
[GenerateSerializer, Immutable, Alias("la.TrainingBudget")]
public sealed record TrainingBudget(
    [property: Id(0)] int Epochs,
    [property: Id(1)] int BatchSize,
    [property: Id(2)] double LearningRate,
    [property: Id(3)] int TorchThreads,
    [property: Id(4)] ActivationEvaluation ActivationEval = TrainConfig.DefaultActivationEval,
    [property: Id(5)] int Patience = TrainConfig.DefaultPatience,
    [property: Id(6)] double ActivationCurvature = TrainConfig.DefaultActivationCurvature,
    [property: Id(7)] double LearningRateWarmup = TrainConfig.DefaultLearningRateWarmup,
    [property: Id(8)] double ActivationLearningRateScale = TrainConfig.DefaultActivationLearningRateScale,
    [property: Id(9)] double RollbackAbove = TrainConfig.DefaultRollbackAbove)
{
    public static TrainingBudget Study { get; } = FromTrainConfig(new TrainConfig());

    public static TrainingBudget FromTrainConfig(TrainConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new(config.Epochs, config.BatchSize, config.LearningRate, config.TorchThreads, config.ActivationEval, config.Patience, config.ActivationCurvature, config.LearningRateWarmup, config.ActivationLearningRateScale, config.RollbackAbove);
    }

    public TrainConfig ToTrainConfig(long seed) => new(Epochs, BatchSize, LearningRate, seed, TorchThreads, ActivationEval, Patience, ActivationCurvature, LearningRateWarmup, ActivationLearningRateScale, RollbackAbove);
}

/// <summary>Where a sweep's data comes from: a local CSV (with its target column), or the OpenML default when <see cref="File"/> is null.</summary>
[GenerateSerializer, Immutable, Alias("la.DataSpec")]
public sealed record DataSpec(
    [property: Id(0)] string? File,
    [property: Id(1)] string? Target)
{
    public static DataSpec OpenMlDefault { get; } = new(null, null);

    public bool IsOpenMl => File is null;

    public override string ToString() => IsOpenMl ? "openml:44121" : $"{File} [{Target}]";
}

/// <summary>One run of a sweep: its name (<see cref="ModelConfig.Name"/>, "_s{seed}" appended when there are several seeds) and what it trains.</summary>
[GenerateSerializer, Immutable, Alias("la.RunDefinition")]
public sealed record RunDefinition(
    [property: Id(0)] string ConfigName,
    [property: Id(1)] BaseActivation Base,
    [property: Id(2)] SizePreset Outer,
    [property: Id(3)] SizePreset Activation,
    [property: Id(4)] long Seed)
{
    /// <summary>The run's arm; runs stored before arms existed were of the learned arm's names.</summary>
    [Id(5)]
    public StudyArm Arm { get; init; } = StudyArms.Default;

    /// <summary>In a transfer sweep, the run whose learned activation the arms <c>frozen</c> and <c>finetuned</c> start from; else null.</summary>
    [Id(6)]
    public ActivationSource? Source { get; init; }

    /// <summary>The data this run trains on when it is not the sweep's (a multitask sweep's single-task runs); else null.</summary>
    [Id(7)]
    public DataSpec? Data { get; init; }

    /// <summary>A multitask sweep's joint run: the tasks its one shared activation is trained on together (<see cref="MultitaskSweep"/>); else null.</summary>
    [Id(8)]
    public IReadOnlyList<DataSpec>? Tasks { get; init; }

    public ModelConfig Model => new(Base, Outer, Activation, Arm);

    /// <summary>Value equality over <see cref="Tasks"/> too: a run's record refuses work that differs from what it holds, and a list read back from the store is another list.</summary>
    public bool Equals(RunDefinition? other) =>
        other is not null
        && ConfigName == other.ConfigName && Base == other.Base && Outer == other.Outer && Activation == other.Activation && Seed == other.Seed
        && Arm == other.Arm && Source == other.Source && Data == other.Data
        && (Tasks is null ? other.Tasks is null : other.Tasks is not null && Tasks.SequenceEqual(other.Tasks));

    public override int GetHashCode() => HashCode.Combine(ConfigName, Base, Outer, Activation, Seed, Arm, Source, Data);
}
