using LearnedActivation.Model.Configuration;

namespace LearnedActivation.Grains.Contracts;

/// <summary>
/// A multitask study (<c>"kind": "multitask"</c>): one activation network learned jointly on <see cref="Tasks"/>
/// (one outer network each), then judged on <see cref="Holdout"/>, which the joint training never sees, against
/// <c>fixed</c>, in-domain <c>learned</c> and the single-task transfers. It runs as a sweep (<see cref="ToSweep"/>). The axes give the configurations (bases x outer sizes x activation
/// sizes) and seeds; the budget and checkpoint cadence are a sweep's. Arms are not an axis: the holdout's are fixed.
/// </summary>
public sealed record MultitaskSpec(string Id, SweepAxes Axes, TrainingBudget Budget, IReadOnlyList<DataSpec> Tasks, DataSpec Holdout, int CheckpointEvery = 1)
{
    /// <summary>The configurations: every base x outer size x activation size, learned arm.</summary>
    public IReadOnlyList<ModelConfig> Configs() =>
        [.. from b in Axes.Bases from outer in Axes.OuterSizes from act in Axes.ActivationSizes select new ModelConfig(b, outer, act, StudyArm.Learned)];

    /// <summary>The sweep that runs it: the holdout is the sweep's data, the tasks its <see cref="MultitaskSweep"/>.</summary>
    public SweepSpec ToSweep() =>
        new SweepSpec(Id, Axes with { Arms = [StudyArm.Learned] }, Budget, Holdout, CheckpointEvery) { Multitask = new MultitaskSweep(Tasks) };
}
