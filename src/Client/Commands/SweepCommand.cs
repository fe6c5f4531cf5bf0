using LearnedActivation.Client.Cli;
using LearnedActivation.Client.Cluster;
using LearnedActivation.Client.Embedded;
using LearnedActivation.Client.Views;
using LearnedActivation.Grains.Contracts;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Silo.Dashboard;
using Spectre.Console;
using Spectre.Console.Cli;

namespace LearnedActivation.Client.Commands;

/// <summary>
/// <c>learnact sweep</c>: hosts a silo in this process, submits the study (or resumes it: same id),
/// follows it live and, at the end, prints the results and copies the figures out of the store.
/// Ctrl+C stops the silo gracefully; running runs keep their last checkpoint and resume next time.
/// With <c>--cluster</c> it submits to a running cluster instead, as a client, and follows (or, with
/// <c>--detach</c>, returns at once).
/// </summary>
public sealed class SweepCommand(IAnsiConsole console) : AsyncCommand<SweepSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, SweepSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        // A multitask spec ("kind": "multitask") reads differently, and then runs as a sweep like any other.
        var spec = settings.Spec is { } specFile && SweepSpecJson.Kind(SweepSpecBuilder.ReadSpec(specFile), Path.GetFileName(specFile)) == MultitaskSpecJson.Kind
            ? SweepSpecBuilder.BuildMultitask(settings, specFile)
            : SweepSpecBuilder.Build(settings);
        return await RunAsync(spec, settings, cancellationToken);
    }

    /// <summary>Runs <paramref name="spec"/> as <c>learnact sweep</c> does: on an embedded silo, or submitted to the cluster the settings name.</summary>
    internal async Task<int> RunAsync(SweepSpec spec, SweepRunSettings settings, CancellationToken cancellationToken)
    {
        if (!settings.IsCluster)
        {
            // The embedded silo reads the same variables; a bad one is a usage error here, not a failed start.
            _ = DataLimitsSettings.FromEnvironment();
        }

        return settings.IsCluster
            ? await SubmitToClusterAsync(spec, settings, cancellationToken)
            : await RunEmbeddedAsync(spec, settings, cancellationToken);
    }

    private async Task<int> RunEmbeddedAsync(SweepSpec spec, SweepRunSettings settings, CancellationToken cancellationToken)
    {
        console.MarkupLineInterpolated($"Sweep [bold]{spec.Id}[/]: {spec.Runs().Count} runs x {spec.Budget.Epochs} epochs ({Names.Of(spec.Budget.ActivationEval)} activation evaluation) on {DataOf(spec)}; store {Path.GetFullPath(settings.StoreRoot)}");

        await using var silo = await EmbeddedSilo.StartAsync(settings.StoreRoot, settings.Slots, cancellationToken, new DashboardOptions { Port = settings.DashboardPort });
        silo.Sweeps.Add(spec.Id);
        if (silo.DashboardUrl is { } dashboard)
        {
            console.MarkupLineInterpolated($"Dashboard: {dashboard.ToString()}?sweep={Uri.EscapeDataString(spec.Id)}");
        }

        await WarmUpDataAsync(silo, spec, cancellationToken);

        var sweep = silo.Grains.GetGrain<ISweepGrain>(spec.Id);
        await StartAsync(sweep, spec);

        SweepStatus status;
        try
        {
            status = await new SweepProgressView(console, TimeSpan.FromMilliseconds(500)).FollowAsync(sweep.GetStatusAsync, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            console.MarkupLine("[yellow]Stopping:[/] running runs keep their last checkpoint; run the same command again to resume.");
            throw;
        }

        console.Write(StatusView.Render(status, DateTimeOffset.UtcNow));
        var store = settings.OpenStore("copying the figures");
        var figures = await ArtifactExport.CopyStudyLayoutAsync(store, status, settings.Out, cancellationToken);
        console.MarkupLineInterpolated($"Figures: {figures.Count} files in {Path.GetFullPath(settings.Out)}");
        console.MarkupLineInterpolated($"Report, table and all run outputs: {Path.Combine(Path.GetFullPath(settings.StoreRoot), spec.Id)} (copy them with: learnact results {spec.Id} --out DIR)");
        return ExitCodeOf(status);
    }

    /// <summary>
    /// Cluster mode: this process is only a client. It submits the sweep (or resumes it: same id) and, unless
    /// --detach, follows it; Ctrl+C stops following, not the sweep, which goes on on the cluster.
    /// </summary>
    private async Task<int> SubmitToClusterAsync(SweepSpec spec, SweepRunSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Slots is not null)
        {
            throw new UsageException("--slots: a cluster's silos declare their own slots (LEARNACT_Training__Slots on each silo)");
        }

        await using var connection = await SweepConnection.OpenAsync(settings, spec.Id, cancellationToken);
        var sweep = connection.Grains.GetGrain<ISweepGrain>(spec.Id);
        var submitted = await StartAsync(sweep, spec);
        console.MarkupLineInterpolated($"Sweep [bold]{spec.Id}[/] submitted to the cluster at {ClusterClient.RedactPassword(settings.ClusterRedis!)}: {spec.Runs().Count} runs x {spec.Budget.Epochs} epochs on {DataOf(spec)} ({submitted.Totals.Completed} already completed)");
        if (settings.Detach)
        {
            console.MarkupLineInterpolated($"Follow it with: learnact status {spec.Id} --watch; cancel it with: learnact cancel {spec.Id}");
            return ExitCodes.Ok;
        }

        SweepStatus status;
        try
        {
            status = await new SweepProgressView(console, TimeSpan.FromMilliseconds(500)).FollowAsync(sweep.GetStatusAsync, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            console.MarkupLineInterpolated($"[yellow]Stopped following:[/] sweep {spec.Id} goes on on the cluster (learnact status {spec.Id} --watch; learnact cancel {spec.Id}).");
            throw;
        }

        console.Write(StatusView.Render(status, DateTimeOffset.UtcNow, live: true));
        if (settings.BlobConnection is not null)
        {
            var store = settings.OpenStore("copying the figures");
            var figures = await ArtifactExport.CopyStudyLayoutAsync(store, status, settings.Out, cancellationToken);
            console.MarkupLineInterpolated($"Figures: {figures.Count} files in {Path.GetFullPath(settings.Out)}");
        }

        console.MarkupLineInterpolated($"Report, table and all run outputs: learnact results {spec.Id} --out DIR (with --blob or {StoreSettings.BlobVariable})");
        return ExitCodeOf(status);
    }

    private static async Task<SweepStatus> StartAsync(ISweepGrain sweep, SweepSpec spec)
    {
        try
        {
            return await sweep.StartAsync(spec);
        }
        catch (ArgumentException ex)
        {
            // The grain's message says what is wrong; the parameter name is noise for a user.
            throw new UsageException(ex.ParamName is null ? ex.Message : ex.Message.Replace($" (Parameter '{ex.ParamName}')", string.Empty, StringComparison.Ordinal), ex);
        }
    }

    /// <summary>What the sweep trains on: its data, or a multitask sweep's tasks and holdout.</summary>
    private static string DataOf(SweepSpec spec) =>
        spec.Multitask is { } multitask ? $"{string.Join(", ", multitask.TaskNames())} jointly (holdout {spec.Data})" : spec.Data.ToString();

    private static int ExitCodeOf(SweepStatus status) =>
        status.Phase == SweepPhase.Finished && status.MissingRuns.Count == 0 ? ExitCodes.Ok : ExitCodes.Failure;

    /// <summary>
    /// Loads and splits the data once before any run starts: a bad file or an unreachable OpenML is one
    /// clear error (exit 2) instead of 27 failed runs, and the runs then share the loaded splits.
    /// </summary>
    private async Task WarmUpDataAsync(EmbeddedSilo silo, SweepSpec spec, CancellationToken cancellationToken)
    {
        if (spec.Multitask is not { } multitask)
        {
            await console.Status().StartAsync($"Loading {Markup.Escape(spec.Data.ToString())}...", _ => silo.LoadDataAsync(spec.Data, spec.Axes.Seeds, cancellationToken));
            return;
        }

        // A multitask sweep reads every task and the holdout: a file that cannot be read is one line naming it in the spec.
        foreach (var (field, data) in multitask.Tasks.Select((t, i) => ($"tasks[{i}]", t)).Append(("holdout", spec.Data)))
        {
            try
            {
                await console.Status().StartAsync($"Loading {Markup.Escape(data.ToString())}...", _ => silo.LoadDataAsync(data, spec.Axes.Seeds, cancellationToken));
            }
            catch (Model.Data.DataException e)
            {
                throw new UsageException($"{field}: {e.Message}", e);
            }
        }
    }
}
