using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Storage;
using LearnedActivation.Model.Configuration;
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
    /// (<see cref="StudyLayoutNames"/>) and the sweep's figures beside them
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
            foreach (var name in StudyLayoutNames(run, spec.Axes.Seeds))
            {
                if (await CopyAsync(store, key, Path.Combine(destination, name), cancellationToken))
                {
                    written.Add(Path.Combine(destination, name));
                }
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

    /// <summary>
    /// The file names a run's activation graph gets in the study layout: with one seed, the original study's
    /// (<c>tab_classification_covertype_{base}_{outer}_{act}.png</c> for the learned arm); with several, that name
    /// with <c>_s{seed}</c> before the extension, and the learned arm's first seed also under the original name, so
    /// the original study's files are there whatever the seeds.
    /// </summary>
    public static IEnumerable<string> StudyLayoutNames(RunDefinition run, IReadOnlyList<long> seeds)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(seeds);
        var original = run.Model.ActivationPlotFileName;
        if (run.ConfigName == run.Model.Name)
        {
            return [original];
        }

        var withSeed = Path.GetFileNameWithoutExtension(original) + run.ConfigName[run.Model.Name.Length..] + ".png";
        return run.Arm == StudyArm.Learned && seeds.Count > 0 && run.Seed == seeds[0] ? [withSeed, original] : [withSeed];
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
