using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Storage;
using LearnedActivation.Model.IO;

namespace LearnedActivation.Client.Embedded;

/// <summary>Copies a sweep's artifacts out of the blob store into ordinary folders.</summary>
internal static class ArtifactExport
{
    /// <summary>The exported folder's subfolder for the runs' outputs (an export layout for readers, not a store key).</summary>
    public const string RunsFolder = "runs";

    /// <summary>
    /// Everything the sweep produced: the report, grids and table at the top, and each run's weights,
    /// graphs and metrics in <c>runs/{config}/</c>. Returns the number of files.
    /// </summary>
    public static async Task<int> CopyAllAsync(IBlobStore store, string sweepId, string destination, CancellationToken cancellationToken)
    {
        var count = 0;
        foreach (var key in await store.ListAsync(StoreLayout.SweepPrefix(sweepId), cancellationToken))
        {
            // The store's "artifacts" level says nothing to a reader: the sweep's files land at the top, each run's in runs/{config}/.
            if (StoreLayout.ArtifactOf(sweepId, key) is { } artifact)
            {
                var folder = artifact.ConfigName is null ? destination : Path.Combine(destination, RunsFolder, artifact.ConfigName);
                await CopyAsync(store, key, Path.Combine(folder, artifact.Name), cancellationToken);
                count++;
            }
        }

        return count;
    }

    /// <summary>
    /// The original study's layout: one folder with every run's <c>tab_classification_covertype_*.png</c>
    /// (with <c>_s{seed}</c> before the extension when the sweep has several seeds) and the sweep's figures beside them
    /// (a transfer sweep's named <c>{id}_transfer.png</c>).
    /// </summary>
    public static async Task<IReadOnlyList<string>> CopyStudyLayoutAsync(IBlobStore store, SweepStatus status, string destination, CancellationToken cancellationToken)
    {
        var written = new List<string>();
        var spec = status.Spec ?? throw new InvalidOperationException($"sweep '{status.SweepId}' has no spec");
        // The original study's per-configuration graphs; a transfer or multitask sweep's runs have their own outputs (learnact results).
        foreach (var run in spec.Transfer is null && spec.Multitask is null ? spec.Runs() : [])
        {
            var key = StoreLayout.RunArtifact(new RunKey(spec.Id, run.ConfigName), run.Model.ActivationPlotFileName);
            var name = run.ConfigName == run.Model.Name
                ? run.Model.ActivationPlotFileName
                : Path.GetFileNameWithoutExtension(run.Model.ActivationPlotFileName) + run.ConfigName[run.Model.Name.Length..] + ".png";
            if (await CopyAsync(store, key, Path.Combine(destination, name), cancellationToken))
            {
                written.Add(Path.Combine(destination, name));
            }
        }

        // Transfers from one study usually share its folder: each one's figures carry its id, so a second does not overwrite the first's.
        var prefix = spec.Transfer is null ? string.Empty : status.SweepId + "_";
        foreach (var key in status.ArtifactKeys.Where(k => k.EndsWith(".png", StringComparison.Ordinal)))
        {
            var path = Path.Combine(destination, prefix + StoreLayout.ArtifactName(key));
            if (await CopyAsync(store, key, path, cancellationToken))
            {
                written.Add(path);
            }
        }

        return written;
    }

    private static async Task<bool> CopyAsync(IBlobStore store, string key, string path, CancellationToken cancellationToken)
    {
        var bytes = await store.GetAsync(key, cancellationToken);
        if (bytes is null)
        {
            return false;
        }

        AtomicFile.WriteAllBytes(path, bytes);
        return true;
    }
}
