using System.Globalization;
using LearnedActivation.Client.Cli;
using LearnedActivation.Grains.Contracts;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Data;
using LearnedActivation.Model.Multitask;
using LearnedActivation.Model.Reporting.Statistics;
using Spectre.Console;

namespace LearnedActivation.Client.Commands;

/// <summary>
/// <c>learnact sweep --spec multitask.json</c> with <c>"kind": "multitask"</c>: loads every task and the holdout (a bad
/// file is one line naming it), then runs the <see cref="MultitaskStudy"/> in this process, under the store's
/// <c>{store}/{id}/</c>. Run the same command again to resume. Multitask studies are not yet grains: no
/// <c>--cluster</c>, and runs train one after another.
/// </summary>
internal static class MultitaskRun
{
    public static async Task<int> ExecuteAsync(IAnsiConsole console, SweepSettings settings, string specFile, string json, CancellationToken cancellationToken)
    {
        if (settings.IsCluster)
        {
            throw new UsageException("--cluster: a multitask spec runs in this process only (its runs are not grains yet); drop --cluster");
        }

        if (settings.Data is not null || settings.Target is not null)
        {
            throw new UsageException("--data/--target: a multitask spec names its tasks and holdout itself");
        }

        var spec = MultitaskSpecJson.Parse(json, Path.GetFileName(specFile), settings.Id ?? SweepSettings.DefaultId);
        spec = spec with
        {
            Id = settings.Id ?? spec.Id,
            Budget = spec.Budget with { Epochs = settings.Epochs ?? spec.Budget.Epochs, Patience = settings.Patience ?? spec.Budget.Patience, ActivationEval = settings.ActivationEval ?? spec.Budget.ActivationEval },
        };
        if (MultitaskSpecJson.FirstError(spec) is { } error)
        {
            throw new UsageException(error);
        }

        var limits = DataLimitsSettings.FromEnvironment();
        var specFolder = Path.GetDirectoryName(Path.GetFullPath(specFile))!;
        var tasks = new List<MultitaskTask>();
        for (var i = 0; i < spec.Tasks.Count; i++)
        {
            tasks.Add(await LoadAsync(console, spec.Tasks[i], $"tasks[{i}]", specFolder, limits, cancellationToken));
        }

        var holdout = await LoadAsync(console, spec.Holdout, "holdout", specFolder, limits, cancellationToken);
        var root = Path.Combine(Path.GetFullPath(settings.StoreRoot), spec.Id);
        var configs = spec.Configs();
        console.MarkupLineInterpolated($"Multitask study [bold]{spec.Id}[/]: {configs.Count} configuration(s) x {spec.Axes.Seeds.Count} seed(s); joint training on {string.Join(", ", tasks.Select(t => t.Name))}; holdout {holdout.Name}; at most {spec.Budget.Epochs} epochs (patience {spec.Budget.Patience}); store {root}");

        var plan = new MultitaskPlan(configs, spec.Axes.Seeds, spec.Budget.ToTrainConfig, spec.CheckpointEvery);
        var study = new MultitaskStudy(root, plan, tasks, holdout, line => console.WriteLine(line));
        IReadOnlyList<HoldoutRow> rows;
        try
        {
            rows = await Task.Run(() => study.Run(cancellationToken), CancellationToken.None);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            console.MarkupLine("[yellow]Stopping:[/] the joint run keeps its checkpoint; run the same command again to resume.");
            throw;
        }

        console.Write(Table(holdout.Name, MultitaskTable.Differences(rows)));
        console.MarkupLineInterpolated($"Tables: {Path.Combine(root, "artifacts", MultitaskTable.RunsFile)}, {MultitaskTable.DifferencesFile}; shared activations: {Path.Combine(root, "runs")}");
        return ExitCodes.Ok;
    }

    private static async Task<MultitaskTask> LoadAsync(IAnsiConsole console, DataSpec task, string field, string specFolder, DataLimits limits, CancellationToken cancellationToken)
    {
        // A file named in a spec is relative to the spec, as a sweep's data file is.
        var resolved = Path.GetFullPath(task.File!, specFolder);
        var file = File.Exists(resolved) ? resolved : task.File!;
        try
        {
            var data = await DataSourceFactory.Create(file, task.Target, limits).LoadAsync(cancellationToken);
            console.MarkupLineInterpolated($"{field}: {data.Source}: {data.Rows:N0} rows x {data.Width} features, target '{data.TargetName}'");
            return new MultitaskTask(NameOf(file), data);
        }
        catch (DataException e)
        {
            throw new UsageException($"{field}: {e.Message}", e);
        }
    }

    /// <summary>"california" for ".../california.csv.gz".</summary>
    private static string NameOf(string file)
    {
        var name = Path.GetFileName(file);
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 ? name[..dot] : name;
    }

    private static Table Table(string holdout, IReadOnlyList<HoldoutDifference> differences)
    {
        static string Pp(double v) => (100 * v).ToString("+0.00;-0.00", CultureInfo.InvariantCulture);
        var table = new Table().Title($"[bold]holdout {Markup.Escape(holdout)}[/]: paired differences of test accuracy (pp), 95 % interval")
            .AddColumn("base / outer / act").AddColumn("comparison").AddColumn(new TableColumn("seeds").RightAligned())
            .AddColumn(new TableColumn("mean").RightAligned()).AddColumn(new TableColumn("95 % interval").RightAligned()).AddColumn("verdict");
        foreach (var d in differences)
        {
            var i = d.Difference;
            table.AddRow(
                Markup.Escape($"{Names.Of(d.Base)} / {Names.Of(d.Outer)} / {Names.Of(d.Activation)}"),
                Markup.Escape($"{d.Arm.Name()} - {d.Against.Name()}"),
                i.N.ToString(CultureInfo.InvariantCulture),
                Pp(i.Mean),
                Markup.Escape(i.HasInterval ? $"[{Pp(i.Low)}, {Pp(i.High)}]" : "-"),
                Markup.Escape(Equivalence.Name(d.Verdict)));
        }

        return table;
    }
}
