using System.Globalization;
using LearnedActivation.Grains.Contracts;
using Spectre.Console;

namespace LearnedActivation.Client.Views;

/// <summary>
/// Follows a sweep until it has finished (or was cancelled): an overall bar over all epochs of all runs
/// (its remaining-time column is the sweep's ETA), a bar per running run with epoch and validation
/// accuracy, and one printed line per run as it ends, so logs of a non-interactive run say what happened.
/// </summary>
internal sealed class SweepProgressView(IAnsiConsole console, TimeSpan pollInterval)
{
    private readonly Dictionary<string, ProgressTask> _runTasks = [];
    private readonly HashSet<string> _announced = [];

    public async Task<SweepStatus> FollowAsync(Func<Task<SweepStatus>> poll, CancellationToken cancellationToken)
    {
        return await console.Progress()
            .AutoClear(false)
            .HideCompleted(true)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async progress =>
            {
                var status = await poll();
                var overall = progress.AddTask("sweep", maxValue: Math.Max(1, status.Runs.Sum(r => r.TotalEpochs)));
                while (true)
                {
                    Update(progress, overall, status);
                    if (status.Phase is SweepPhase.Finished or SweepPhase.Cancelled or SweepPhase.Unknown)
                    {
                        overall.StopTask();
                        return status;
                    }

                    await Task.Delay(pollInterval, cancellationToken);
                    status = await poll();
                }
            });
    }

    private void Update(ProgressContext progress, ProgressTask overall, SweepStatus status)
    {
        overall.Value = status.Runs.Sum(r => r.Phase == RunPhase.Completed ? r.TotalEpochs : r.Epoch);
        overall.Description = Markup.Escape($"{status.SweepId}: ") + StatusView.Totals(status) + (status.Phase == SweepPhase.Assembling ? " - assembling report" : string.Empty);
        foreach (var run in status.Runs)
        {
            if (run.Phase == RunPhase.Running && !_runTasks.ContainsKey(run.ConfigName))
            {
                _runTasks[run.ConfigName] = progress.AddTask(run.ConfigName, maxValue: Math.Max(1, run.TotalEpochs));
            }

            if (_runTasks.TryGetValue(run.ConfigName, out var task))
            {
                task.Value = run.Epoch;
                task.Description = string.Create(CultureInfo.InvariantCulture, $"  {Markup.Escape(run.ConfigName)} {run.Epoch}/{run.TotalEpochs} val acc {run.Latest?.ValAccuracy ?? 0:0.000}");
                if (run.IsTerminal)
                {
                    task.Value = task.MaxValue;
                    task.StopTask();
                }
            }

            if (run.IsTerminal && _announced.Add(run.ConfigName))
            {
                console.MarkupLine(Ended(run));
            }
        }
    }

    private static string Ended(RunStatus run) => run.Phase switch
    {
        RunPhase.Completed => string.Create(CultureInfo.InvariantCulture, $"[green]done[/]   {Markup.Escape(run.ConfigName)}: test acc {run.Test?.Accuracy:0.0000}, AUC {run.Test?.Auc:0.0000} ({run.TrainingSeconds:0}s)"),
        RunPhase.Failed => $"[red]failed[/] {Markup.Escape(run.ConfigName)}: {Markup.Escape(run.Error ?? "unknown error")}",
        _ => $"[yellow]{run.Phase.ToString().ToLowerInvariant()}[/] {Markup.Escape(run.ConfigName)}",
    };
}
