using System.Text;
using LearnedActivation.Model.Configuration;

namespace LearnedActivation.Grains.Contracts;

/// <summary>
/// What makes a sweep a multitask sweep (<c>"kind": "multitask"</c>, docs/multitask.md): the training tasks. The
/// sweep's own data is the held-out task. Per configuration (base, outer size, activation size) and seed it trains
/// <list type="bullet">
/// <item>the joint run "multitask_{config}": one activation network shared by one outer network per task
/// (<see cref="RunDefinition.Tasks"/>), which never sees the holdout;</item>
/// <item>one single-task learned run per training task, "{config}_on-{task}" (<see cref="RunDefinition.Data"/>):
/// an activation of the same size learned on that task alone;</item>
/// <item>on the holdout: <c>fixed</c> (once per base and outer size), in-domain <c>learned</c>, and <c>frozen</c>
/// once per source above, "{source}_frozen", whose <see cref="RunDefinition.Source"/> is that run of this sweep:
/// the transfer sweeps' frozen arm, so the holdout's frozen runs load and freeze their activation exactly as a
/// transfer does.</item>
/// </list>
/// "_s{seed}" is appended to every name when there are several seeds, as in every sweep; a frozen run and its source
/// share the seed.
/// </summary>
[GenerateSerializer, Immutable, Alias("la.MultitaskSweep")]
public sealed record MultitaskSweep([property: Id(0)] IReadOnlyList<DataSpec> Tasks)
{
    /// <summary>Longest task name in run names, so that every name stays within <see cref="RunKey"/>'s 64 characters.</summary>
    private const int MaxTaskName = 16;

    /// <summary>The prefix of a joint run's name.</summary>
    public const string JointPrefix = "multitask_";

    /// <summary>The word between a configuration and a task's name in a single-task run's name.</summary>
    public const string OnTask = "_on-";

    /// <summary>Value equality over the list too.</summary>
    public bool SameAs(MultitaskSweep? other) => other is not null && Tasks.SequenceEqual(other.Tasks);

    /// <summary>
    /// Each task's name in run names and tables: its file's name without directories and extensions, letters, digits
    /// and '-' only, at most 16 characters; the task's index is appended where two would share a name.
    /// </summary>
    public IReadOnlyList<string> TaskNames()
    {
        var stems = Tasks.Select(t => Stem(t.File ?? "openml")).ToList();
        return [.. stems.Select((s, i) => stems.Count(o => o == s) > 1 ? $"{s}{i}" : s)];
    }

    /// <summary>The runs, in the order sources first (a frozen run waits for its source: see SweepState.NextClaim).</summary>
    public IReadOnlyList<RunDefinition> Runs(string sweepId, SweepAxes axes)
    {
        ArgumentNullException.ThrowIfNull(axes);
        var withSeed = axes.Seeds.Count > 1;
        string Named(string stem, long seed) => withSeed ? $"{stem}_s{seed}" : stem;
        var configs = (from b in axes.Bases from outer in axes.OuterSizes from act in axes.ActivationSizes select new ModelConfig(b, outer, act, StudyArm.Learned)).ToList();
        var names = TaskNames();
        var sources = new List<RunDefinition>();
        var holdout = new List<RunDefinition>();
        foreach (var config in configs)
        {
            foreach (var seed in axes.Seeds)
            {
                sources.Add(Define(Named(JointPrefix + config.Name, seed), config, seed) with { Tasks = Tasks });
                sources.AddRange(Tasks.Select((task, i) => Define(Named($"{config.Name}{OnTask}{names[i]}", seed), config, seed) with { Data = task }));
            }
        }

        foreach (var (b, outer) in configs.Select(c => (c.Base, c.Outer)).Distinct())
        {
            var fixedConfig = new ModelConfig(b, outer, ModelConfig.DefaultSize, StudyArm.Fixed);
            holdout.AddRange(axes.Seeds.Select(seed => Define(Named(fixedConfig.Name, seed), fixedConfig, seed)));
        }

        foreach (var config in configs)
        {
            holdout.AddRange(axes.Seeds.Select(seed => Define(Named(config.Name, seed), config, seed)));
        }

        // Frozen: one per source run, on the holdout, in the sources' order.
        holdout.AddRange(sources.Select(source => Define(FrozenName(source.ConfigName, source.Seed, withSeed), source.Model with { Arm = StudyArm.Frozen }, source.Seed) with
        {
            Source = new ActivationSource(sweepId, source.ConfigName, source.Base, source.Outer, source.Activation, StudyArm.Learned),
        }));
        return [.. sources, .. holdout];
    }

    /// <summary>"multitask_tanh_small_small_frozen_s0" for the source "multitask_tanh_small_small_s0".</summary>
    private static string FrozenName(string sourceName, long seed, bool withSeed)
    {
        var suffix = $"_s{seed}";
        return withSeed ? $"{sourceName[..^suffix.Length]}_frozen{suffix}" : $"{sourceName}_frozen";
    }

    private static RunDefinition Define(string name, ModelConfig config, long seed) =>
        new(name, config.Base, config.Outer, config.Activation, seed) { Arm = config.Arm };

    private static string Stem(string file)
    {
        var name = file.Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..];
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        name = dot > 0 ? name[..dot] : name;
        var stem = new StringBuilder();
        foreach (var c in name.Take(MaxTaskName))
        {
            stem.Append(char.IsAsciiLetterOrDigit(c) || c == '-' ? c : '-');
        }

        return stem.Length > 0 ? stem.ToString() : "task";
    }
}
