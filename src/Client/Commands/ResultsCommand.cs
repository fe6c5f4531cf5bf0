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
        IBlobStore store;
        if (settings.IsCluster)
        {
            store = Cluster.ClusterClient.OpenStore(settings, "results from a cluster");
            if ((await ReachAsync(store, settings)).Count == 0)
            {
                throw new UsageException($"no sweep '{settings.Sweep}' in the cluster's blob container '{settings.BlobContainer}'");
            }
        }
        else
        {
            if (!Directory.Exists(Path.Combine(settings.StoreRoot, settings.Sweep)))
            {
                throw new UsageException($"no sweep '{settings.Sweep}' in store {Path.GetFullPath(settings.StoreRoot)}");
            }

            store = new FileSystemBlobStore(Path.GetFullPath(settings.StoreRoot));
        }

        var count = await ArtifactExport.CopyAllAsync(store, settings.Sweep, settings.Out, cancellationToken);
        if (count == 0)
        {
            throw new UsageException($"sweep '{settings.Sweep}' has no artifacts yet (no run has completed)");
        }

        console.MarkupLineInterpolated($"Copied {count} files of sweep {settings.Sweep} to {Path.GetFullPath(settings.Out)}");
        return 0;
    }

    private static async Task<IReadOnlyList<string>> ReachAsync(IBlobStore store, ResultsSettings settings)
    {
        try
        {
            return await store.ListAsync(StoreLayout.SweepPrefix(settings.Sweep));
        }
        catch (IOException e)
        {
            throw new ClusterUnreachableException($"cannot reach the cluster's blob store: {e.Message}", e);
        }
    }
}
