using LearnedActivation.Grains.Contracts;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Multitask;
using LearnedActivation.Model.Reporting;

namespace LearnedActivation.Grains.Sweeps;

/// <summary>
/// A multitask sweep's tables (<see cref="MultitaskTable"/>): every completed run trained on the holdout becomes a
/// row, its arm named by where its frozen activation came from (the joint run, or the single-task run on one task;
/// see <see cref="MultitaskSweep"/>). The joint and single-task source runs train elsewhere and are not rows.
/// </summary>
internal static class MultitaskHoldout
{
    public static IReadOnlyList<string> Write(string directory, SweepSpec spec, MultitaskSweep multitask, IReadOnlyList<AssemblyRun> runs, IReadOnlyList<RunSummary> summaries)
    {
        var holdout = HoldoutName(spec.Data);
        var tasks = multitask.TaskNames();
        var definitions = spec.Runs().ToDictionary(r => r.ConfigName, StringComparer.Ordinal);
        var rows = new List<HoldoutRow>();
        foreach (var (run, summary) in runs.Zip(summaries))
        {
            var d = run.Definition;
            if (d.Tasks is not null || d.Data is not null || !run.Completed || summary.TestAccuracy is not { } accuracy)
            {
                continue;
            }

            rows.Add(new HoldoutRow(holdout, d.Base, d.Outer, d.Activation, ArmOf(d, definitions, multitask, tasks), d.Seed, accuracy, summary.TestAuc ?? double.NaN, summary.TestLoss ?? double.NaN, summary.EpochsCompleted));
        }

        return MultitaskTable.Write(directory, holdout, rows, tasks);
    }

    private static HoldoutArm ArmOf(RunDefinition run, Dictionary<string, RunDefinition> definitions, MultitaskSweep multitask, IReadOnlyList<string> tasks)
    {
        if (run.Source is not { } source)
        {
            return new HoldoutArm(run.Arm);
        }

        var from = definitions[source.RunName];
        return from.Tasks is not null ? HoldoutArm.FrozenMultitask : HoldoutArm.FrozenFrom(tasks[multitask.Tasks.ToList().IndexOf(from.Data!)]);
    }

    private static string HoldoutName(DataSpec data) => new MultitaskSweep([data]).TaskNames()[0];
}
