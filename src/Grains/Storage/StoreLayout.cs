using System.Globalization;
using LearnedActivation.Grains.Contracts;

namespace LearnedActivation.Grains.Storage;

/// <summary>
/// Where everything of a sweep lies in the blob store; all of it under "{sweepId}/", so that the
/// embedded store's "./runs/{sweepId}/" holds one sweep whole:
/// <code>
/// {sweep}/state/sweep.json                               sweep grain state
/// {sweep}/runs/{config}/state/run.json                   run grain state
/// {sweep}/runs/{config}/checkpoints/epoch-0007.ckpt      last two checkpoints
/// {sweep}/runs/{config}/artifacts/{name}                 the run's final artifacts (weights, PNG, metrics)
/// {sweep}/artifacts/{name}                               the sweep's assembled artifacts (grids, tables)
/// </code>
/// </summary>
public static class StoreLayout
{
    public static string SweepPrefix(string sweepId) => $"{sweepId}/";

    /// <summary>Grain type names, fixed so that renaming a class never orphans stored state.</summary>
    public const string SweepGrainType = "sweep";

    public const string RunGrainType = "training-run";

    public const string SweepBoardGrainType = "sweep-board";

    public static string SweepState(string sweepId, string stateName = "sweep") => $"{sweepId}/state/{stateName}.json";

    public static string RunPrefix(RunKey run) => $"{run.SweepId}/runs/{run.ConfigName}/";

    public static string RunState(RunKey run, string stateName = "run") => $"{RunPrefix(run)}state/{stateName}.json";

    /// <summary>
    /// The blob that holds a grain's persistent state: beside the sweep's other data for the two grain
    /// types of this project, under "_grains/" for any other.
    /// </summary>
    public static string GrainState(string grainType, string grainKey, string stateName)
    {
        var key = grainType switch
        {
            SweepGrainType => SweepState(grainKey, stateName),
            RunGrainType => RunState(RunKey.Parse(grainKey), stateName),
            _ => $"_grains/{grainType}/{grainKey}/{stateName}.json",
        };
        return BlobKey.Validate(key);
    }

    public static string CheckpointPrefix(RunKey run) => $"{RunPrefix(run)}checkpoints/";

    public static string Checkpoint(RunKey run, int epoch) =>
        string.Create(CultureInfo.InvariantCulture, $"{CheckpointPrefix(run)}epoch-{epoch:D4}.ckpt");

    public static string RunArtifactPrefix(RunKey run) => $"{RunPrefix(run)}artifacts/";

    public static string RunArtifact(RunKey run, string name) => BlobKey.Validate($"{RunArtifactPrefix(run)}{name}");

    public static string SweepArtifactPrefix(string sweepId) => $"{sweepId}/artifacts/";

    public static string SweepArtifact(string sweepId, string name) => BlobKey.Validate($"{SweepArtifactPrefix(sweepId)}{name}");

    /// <summary>The epoch a checkpoint key names, or null when the key is not a checkpoint.</summary>
    public static int? CheckpointEpoch(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var name = key[(key.LastIndexOf('/') + 1)..];
        return name.StartsWith("epoch-", StringComparison.Ordinal) && name.EndsWith(".ckpt", StringComparison.Ordinal)
            && int.TryParse(name["epoch-".Length..^".ckpt".Length], NumberStyles.None, CultureInfo.InvariantCulture, out var epoch)
            ? epoch
            : null;
    }
}
