using System.ComponentModel;
using LearnedActivation.Client.Cli;
using LearnedActivation.Client.Embedded;
using LearnedActivation.Grains.Storage;
using Spectre.Console;
using Spectre.Console.Cli;

namespace LearnedActivation.Client.Commands;

/// <summary>Options of <c>learnact results</c>.</summary>
public sealed class ResultsSettings : SweepIdSettings
{
    [CommandOption("--out <DIR>")]
    [Description("Destination folder (created if needed).")]
    public string Out { get; init; } = "results";
}

/// <summary><c>learnact results</c>: copies a sweep's report, figures, table and every run's outputs out of the store.</summary>
public sealed class ResultsCommand(IAnsiConsole console) : AsyncCommand<ResultsSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ResultsSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var store = settings.OpenStore("results from a cluster");
        if (!await IsStoredAsync(store, settings, cancellationToken))
        {
            throw new UsageException($"no sweep '{settings.Sweep}' in {settings.StoreDescription}");
        }

        var count = await ArtifactExport.CopyAllAsync(store, settings.Sweep, settings.Out, cancellationToken);
        if (count == 0)
        {
            throw new UsageException($"sweep '{settings.Sweep}' has no artifacts yet (no run has completed)");
        }

        console.MarkupLineInterpolated($"Copied {count} files of sweep {settings.Sweep} to {Path.GetFullPath(settings.Out)}");
        return 0;
    }

    private static async Task<bool> IsStoredAsync(IBlobStore store, ResultsSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            return await store.ExistsAsync(StoreLayout.SweepState(settings.Sweep), cancellationToken);
        }
        catch (IOException e) when (settings.IsCluster)
        {
            throw new ClusterUnreachableException($"cannot reach the cluster's blob store: {e.Message}", e);
        }
    }
}
