using LearnedActivation.Grains.Contracts;

namespace LearnedActivation.Grains.Sweeps;

/// <summary>
/// Every run's last known status, as `status` shows it: the sweep grain's second stored state, apart from
/// <see cref="SweepState"/> so that a claim or a run's end stores only what scheduling needs (the queue and the
/// assignments, which shrink as the sweep goes), never a status per run. Written at most once per watch
/// interval, and when the sweep starts, is cancelled, finishes or deactivates (see <see cref="SweepState.RunsChanged"/>).
/// A status stored late is never wrong for long: each run's own record is the truth, and the sweep asks the
/// records of the runs it is unsure of when it is activated (<see cref="AssignmentWatch.CatchUpAsync"/>).
/// </summary>
[GenerateSerializer, Alias("la.SweepRuns")]
public sealed class SweepRuns
{
    [Id(0)]
    public Dictionary<string, RunStatus> Runs { get; set; } = [];
}
