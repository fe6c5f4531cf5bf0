using System.Globalization;
using LearnedActivation.Grains.Contracts;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace LearnedActivation.Client.Views;

/// <summary>How a sweep's status looks in a terminal: a table of runs and a line of totals.</summary>
internal static class StatusView
{
    /// <param name="status">What the sweep grain reports.</param>
    /// <param name="now">For checkpoint ages.</param>
    /// <param name="live">False when read from the store after the sweep process ended: "running" runs are then
    /// interrupted, waiting for <c>learnact sweep</c> to resume them.</param>
    public static IRenderable Render(SweepStatus status, DateTimeOffset now, bool live = true)
    {
        var table = new PlainTable(
            ["sweep ", new PlainCell(status.SweepId, new Style(decoration: Decoration.Bold)), $": {Phase(status.Phase)}"],
            [("run", false), ("phase", false), ("epoch", true), ("val acc", true), ("best val", true), ("test acc", true), ("test AUC", true), ("silo", false), ("attempts", true), ("checkpoint", true)]);
        foreach (var run in status.Runs)
        {
            table.AddRow(
                run.ConfigName,
                RunPhaseText(run, live),
                $"{run.Epoch}/{run.TotalEpochs}",
                F(run.Latest?.ValAccuracy),
                F(run.BestValAccuracy),
                F(run.Test?.Accuracy),
                F(run.Test?.Auc),
                Silo(run.HostSilo),
                run.Attempts.ToString(CultureInfo.InvariantCulture),
                run.LastCheckpointAt is { } at ? Age(now - at) + " ago" : "-");
        }

        var rows = new List<IRenderable> { table, new Markup(Totals(status)) };
        if (!live && status.Phase is SweepPhase.Running or SweepPhase.Assembling)
        {
            rows.Add(new Markup($"[yellow]no sweep process is running:[/] run [bold]learnact sweep --id {Markup.Escape(status.SweepId)}[/] (with the same spec) to resume"));
        }

        if (status.Storage is { } storage)
        {
            rows.Add(new Markup($"[red]storage:[/] {Markup.Escape(storage.Error)} (since {storage.Since.ToUniversalTime():HH:mm:ss} UTC, {Age(now - storage.Since)}); training goes on and nothing reported is lost"));
        }

        if (status.MissingRuns.Count > 0)
        {
            rows.Add(new Markup($"[yellow]missing runs:[/] {Markup.Escape(string.Join(", ", status.MissingRuns))}"));
        }

        if (status.AssemblyError is { } error)
        {
            rows.Add(new Markup($"[red]report failed:[/] {Markup.Escape(error)}"));
        }

        return new Rows(rows);
    }

    public static string Totals(SweepStatus status)
    {
        var t = status.Totals;
        return string.Create(CultureInfo.InvariantCulture, $"{t.Runs} runs: {t.Queued} queued, {t.Running} running, [green]{t.Completed} completed[/], [red]{t.Failed} failed[/], {t.Cancelled} cancelled");
    }

    /// <summary>
    /// A run with progress that is not terminal is "interrupted" when no sweep process runs (it waits for
    /// <c>learnact sweep</c>), and "cancelling" between a cancel and its execution's next epoch.
    /// </summary>
    private static PlainCell RunPhaseText(RunStatus run, bool live) => run switch
    {
        { IsTerminal: false, CancelRequested: true } => new("cancelling", Color.Yellow),
        { IsTerminal: false } when !live && (run.Phase == RunPhase.Running || run.Epoch > 0) => new("interrupted", Color.Yellow),
        _ => Phase(run.Phase),
    };

    private static PlainCell Phase(RunPhase phase) => phase switch
    {
        RunPhase.Completed => new PlainCell("completed", Color.Green),
        RunPhase.Failed => new("failed", Color.Red),
        RunPhase.Running => new("running", Color.Blue),
        RunPhase.Cancelled => new("cancelled", Color.Yellow),
        _ => new PlainCell("queued", Style.Plain),
    };

    /// <summary>"Silo_0e604@127.0.0.1:11111" -> "127.0.0.1:11111": the address is what tells silos apart.</summary>
    private static string Silo(string? silo) => silo is null ? "-" : silo[(silo.LastIndexOf('@') + 1)..];

    private static string Phase(SweepPhase phase) => phase.ToString().ToLowerInvariant();

    private static string F(double? value) => value is { } v ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "-";

    private static string Age(TimeSpan age) => age.TotalSeconds < 90
        ? string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, age.TotalSeconds):0}s")
        : age.TotalMinutes < 90 ? string.Create(CultureInfo.InvariantCulture, $"{age.TotalMinutes:0}m") : string.Create(CultureInfo.InvariantCulture, $"{age.TotalHours:0.0}h");
}
