using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Scheduling;
using Microsoft.Extensions.Logging;

namespace LearnedActivation.Grains.Sweeps;

/// <summary>
/// The sweep grain's watch over its claimed runs: looks at each assigned run's record and its silo, and
/// applies <see cref="AssignmentCheck"/>'s verdict to the <see cref="SweepState"/> (a run that ended unheard
/// is recorded; one whose silo is gone, whose execution fell silent or was disowned is requeued). Also
/// readmits strays and, in a cancelled sweep, ends the runs no execution owns. Runs inside the sweep
/// grain's turn, so that it may call run grains; every decision is the state types'. Keeps the grain's
/// watch going: a timer while the activation lives, brought back by a reminder across silo deaths.
/// </summary>
public sealed partial class AssignmentWatch(
    IGrainFactory grains,
    IClusterMembershipService membership,
    RunSchedulingOptions scheduling,
    IQueuePolicy policy,
    ILogger logger)
{
    /// <summary>The reminder's name as stored by the reminder service: sweeps started earlier still hold it.</summary>
    private const string Reminder = "host-check";
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);
    private readonly TimerSlot _timer = new();

    /// <summary>Whether this activation has stored the reminder (or found it stored: it fired).</summary>
    private bool _reminderStored;

    /// <summary>Arms the timer for the first check a check interval from now, then stores the reminder that survives <paramref name="grain"/>'s silo.</summary>
    public async Task StartAsync(IGrainBase grain, Func<CancellationToken, Task> check)
    {
        Arm(grain, check, scheduling.HostCheckInterval);
        await KeepReminderAsync(grain);
    }

    /// <summary>
    /// Stores the reminder unless this activation did. A failure (the reminder table slow or away: a loaded Redis
    /// times out) is logged, not thrown, and retried at the next check: the timer watches meanwhile, and a sweep
    /// whose silo dies before then is still woken by the silos that claim its queued runs or report on its executing
    /// ones. Failing the start instead would tell the user that a sweep which is queued and served did not start.
    /// </summary>
    public async Task KeepReminderAsync(IGrainBase grain)
    {
        ArgumentNullException.ThrowIfNull(grain);
        if (_reminderStored)
        {
            return;
        }

        try
        {
            await grain.RegisterOrUpdateReminder(Reminder, ReminderPeriod, ReminderPeriod);
            _reminderStored = true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogReminderNotStored(e, grain.GrainContext.GrainId.ToString());
        }
    }

    /// <summary>The reminder fired: it is stored, nothing to retry.</summary>
    public void ReminderFired() => _reminderStored = true;

    /// <summary>Arms the timer (replacing the pending one): <paramref name="check"/> runs after <paramref name="dueTime"/>, then every check interval.</summary>
    public void Arm(IGrainBase grain, Func<CancellationToken, Task> check, TimeSpan dueTime) =>
        _timer.Arm(grain, check, dueTime, scheduling.HostCheckInterval);

    /// <summary>Ends the watch: the timer, and the reminder that would bring it back.</summary>
    public async Task StopAsync(IGrainBase grain)
    {
        _timer.Clear();
        if (await grain.GetReminder(Reminder) is { } reminder)
        {
            await grain.UnregisterReminder(reminder);
        }

        _reminderStored = false;
    }

    /// <summary>Alive unless membership has declared the silo dead or does not list it (a silo of an earlier cluster).</summary>
    public bool IsAlive(string silo) => StatusOf(silo) is not (SiloStatus.Dead or SiloStatus.None);

    /// <summary>Brings <paramref name="state"/> in line with the cluster and the runs' records. Returns whether it changed.</summary>
    public async Task<bool> ReconcileAsync(string sweepId, SweepState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var changed = state.ReadmitStrays(policy);
        if (state.Assignments.Values.Any(a => StatusOf(a.Silo) == SiloStatus.None))
        {
            // A silo that joined a moment ago may not be in this silo's snapshot yet: read the table before calling anyone dead.
            await membership.Refresh();
        }

        foreach (var (name, assignment) in state.Assignments.ToList())
        {
            var run = grains.RunGrain(sweepId, name);
            RunObservation seen;
            try
            {
                seen = await run.ObserveAsync(assignment.ExecutionId);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogObserveFailed(e, sweepId, name);
                continue;
            }

            var verdict = AssignmentCheck.Judge(seen, IsAlive(assignment.Silo), scheduling.ExecutionLease);
            if (verdict == AssignmentVerdict.Healthy)
            {
                state.Observed(seen.Outcome.Status);
            }
            else if (verdict == AssignmentVerdict.Ended)
            {
                state.EndedUnheard(seen.Outcome);
            }
            else if (verdict != AssignmentVerdict.Healthy)
            {
                LogRequeued(sweepId, name, assignment.Silo, AssignmentCheck.Reason(verdict));
                state.Requeued(await run.RequeueAsync(assignment.ExecutionId), policy);
            }

            changed |= verdict != AssignmentVerdict.Healthy;
        }

        var toCancel = state.StillToCancel();
        await CancelAsync(sweepId, state, toCancel);
        return changed || toCancel.Count > 0;
    }

    /// <summary>
    /// The statuses of the runs the sweep is unsure of (<see cref="SweepState.Uncertain"/>) from their own
    /// records: the sweep stores no progress, and stores statuses only now and then, so a sweep activated afresh
    /// learns them here. A record that cannot be read now is left to the watch's next look.
    /// </summary>
    public async Task CatchUpAsync(string sweepId, SweepState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var names = state.Uncertain();
        var seen = await Task.WhenAll(names.Select(async name =>
        {
            try
            {
                return await grains.RunGrain(sweepId, name).GetStatusAsync();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogObserveFailed(e, sweepId, name);
                return null;
            }
        }));
        foreach (var status in seen.OfType<RunStatus>())
        {
            state.Observed(status);
        }
    }

    /// <summary>Cancels runs: queued ones end at once; executing ones are asked to stop and report their end after checkpointing.</summary>
    public async Task CancelAsync(string sweepId, SweepState state, IEnumerable<string> runs)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(runs);
        foreach (var name in runs)
        {
            state.RecordStatus(await grains.RunGrain(sweepId, name).CancelAsync());
        }
    }

    private SiloStatus StatusOf(string silo) => membership.CurrentSnapshot.GetSiloStatus(SiloAddress.FromParsableString(silo));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweep {Sweep}: run {Run} was executing on silo {Silo}, but {Why}; queued again")]
    private partial void LogRequeued(string sweep, string run, string silo, string why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Sweep}: its watch's reminder could not be stored; the watch's timer retries at its next check")]
    private partial void LogReminderNotStored(Exception e, string sweep);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweep {Sweep}: looking at run {Run} failed; the watch looks again later")]
    private partial void LogObserveFailed(Exception e, string sweep, string run);
}

internal static class SweepGrainFactoryExtensions
{
    /// <summary>The record of one run of a sweep.</summary>
    public static ITrainingRunGrain RunGrain(this IGrainFactory grains, string sweepId, string configName) =>
        grains.GetGrain<ITrainingRunGrain>(new RunKey(sweepId, configName).ToString());
}
