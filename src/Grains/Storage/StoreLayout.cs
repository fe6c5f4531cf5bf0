using System.Globalization;
using LearnedActivation.Grains.Contracts;

namespace LearnedActivation.Grains.Storage;

/// <summary>
/// Where everything of a sweep lies in the blob store; all of it under "{sweepId}/", so that the
/// embedded store's "./runs/{sweepId}/" holds one sweep whole:
/// <code>
/// {sweep}/state/sweep.json                               sweep grain state
/// {sweep}/runs/{config}/state/run.json                   run grain state
/// {sweep}/runs/{config}/checkpoints/{execution}/epoch-0007.ckpt   an execution's last checkpoints (see Fencing below)
/// {sweep}/runs/{config}/executions/{execution}/{name}     an execution's artifacts, staged until its record promotes them
/// {sweep}/runs/{config}/artifacts/{name}                 the run's final artifacts (weights, PNG, metrics)
/// {sweep}/artifacts/{name}                               the sweep's assembled artifacts (grids, tables)
/// {sweep}/transfers/{transfer}                           a transfer sweep that takes this sweep's activations (written when it starts)
/// </code>
/// Fencing: an execution writes only under keys of its own execution id; the run's record (whose writes are
/// conditional) decides which of them count: it names the checkpoint a new execution resumes from, and it
/// promotes (copies) the staged artifacts of the execution whose end it accepted to the run's artifact keys.
/// A stale execution's writes therefore land where nobody reads.
/// A file-system store's root also holds the files of the process that owns it (<see cref="LockFile"/>,
/// <see cref="GatewayFile"/>, <see cref="LogFile"/>); they are not blobs, and the lock and gateway names
/// start with '.', which no blob key may.
/// </summary>
public static class StoreLayout
{
    /// <summary>File-system store: held (an OS lock) by the one process that owns the store while it runs.</summary>
    public const string LockFile = ".lock";

    /// <summary>File-system store: where the process training on the store says which gateway serves it, while it runs.</summary>
    public const string GatewayFile = ".gateway";

    private const string RunsSegment = "runs";

    private const string LogFolder = "logs";

    /// <summary>File-system store: the owning process's log (compact JSON), relative to the root.</summary>
    public static string LogFile { get; } = Path.Combine(LogFolder, "learnact.clef");

    /// <summary>
    /// Whether the store itself uses <paramref name="name"/> at its top level, where each sweep has its folder: a sweep
    /// id may not take it. Compared ignoring case, so that no id clashes on a case-insensitive file system.
    /// (".lock", ".gateway" and "_grains" are refused by <see cref="Contracts.RunKey.IsValidName"/> already.)
    /// </summary>
    public static bool IsReservedTopLevelName(string name) => string.Equals(name, LogFolder, StringComparison.OrdinalIgnoreCase);

    public static string SweepPrefix(string sweepId) => $"{sweepId}/";

    /// <summary>Grain type names, fixed so that renaming a class never orphans stored state.</summary>
    public const string SweepGrainType = "sweep";

    public const string RunGrainType = "training-run";

    public const string SweepBoardGrainType = "sweep-board";

    /// <summary>The sweep grain's persistent-state name: its blob is {sweep}/state/sweep.json.</summary>
    public const string SweepStateName = "sweep";

    /// <summary>The sweep grain's second persistent state, every run's last known status: {sweep}/state/runs.json.</summary>
    public const string SweepRunsStateName = "runs";

    /// <summary>The run grain's persistent-state name: its blob is {sweep}/runs/{config}/state/run.json.</summary>
    public const string RunStateName = "run";

    public static string SweepState(string sweepId, string stateName = SweepStateName) => $"{sweepId}/state/{stateName}.json";

    public static string RunPrefix(RunKey run) => $"{run.SweepId}/{RunsSegment}/{run.ConfigName}/";

    public static string RunState(RunKey run, string stateName = RunStateName) => $"{RunPrefix(run)}state/{stateName}.json";

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

    /// <summary>Where grain storage keeps the version of a state blob that its last write replaced (a fallback for a corrupt state).</summary>
    public static string PreviousVersion(string stateKey) => BlobKey.Validate(stateKey + ".previous");

    public static string CheckpointPrefix(RunKey run) => $"{RunPrefix(run)}checkpoints/";

    /// <summary>The checkpoints of one execution of the run.</summary>
    public static string CheckpointPrefix(RunKey run, Guid execution) => $"{CheckpointPrefix(run)}{execution:N}/";

    public static string Checkpoint(RunKey run, Guid execution, int epoch) =>
        string.Create(CultureInfo.InvariantCulture, $"{CheckpointPrefix(run, execution)}epoch-{epoch:D4}.ckpt");

    /// <summary>Where the artifacts of one execution wait for promotion (<see cref="PromotedArtifact"/>).</summary>
    public static string ExecutionArtifactPrefix(RunKey run, Guid execution) => $"{RunPrefix(run)}executions/{execution:N}/";

    public static string ExecutionsPrefix(RunKey run) => $"{RunPrefix(run)}executions/";

    public static string ExecutionArtifact(RunKey run, Guid execution, string name) => BlobKey.Validate($"{ExecutionArtifactPrefix(run, execution)}{name}");

    /// <summary>The run's artifact key that a staged one is promoted to; any other key maps to itself.</summary>
    public static string PromotedArtifact(RunKey run, string stagedKey)
    {
        ArgumentNullException.ThrowIfNull(stagedKey);
        var executions = ExecutionsPrefix(run);
        if (!stagedKey.StartsWith(executions, StringComparison.Ordinal))
        {
            return stagedKey;
        }

        var slash = stagedKey.IndexOf('/', executions.Length);
        return slash < 0 ? stagedKey : RunArtifact(run, stagedKey[(slash + 1)..]);
    }

    public static string RunArtifactPrefix(RunKey run) => $"{RunPrefix(run)}artifacts/";

    public static string RunArtifact(RunKey run, string name) => BlobKey.Validate($"{RunArtifactPrefix(run)}{name}");

    /// <summary>Where the transfer sweeps of <paramref name="sourceSweepId"/> are listed, one empty-ish blob each: its report finds them there without listing the whole store.</summary>
    public static string TransferLinkPrefix(string sourceSweepId) => $"{sourceSweepId}/transfers/";

    public static string TransferLink(string sourceSweepId, string transferSweepId) => BlobKey.Validate($"{TransferLinkPrefix(sourceSweepId)}{transferSweepId}");

    public static string SweepArtifactPrefix(string sweepId) => $"{sweepId}/artifacts/";

    public static string SweepArtifact(string sweepId, string name) => BlobKey.Validate($"{SweepArtifactPrefix(sweepId)}{name}");

    /// <summary>The last segment of a key: an artifact's file name.</summary>
    public static string ArtifactName(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key[(key.LastIndexOf('/') + 1)..];
    }

    /// <summary>
    /// What an artifact key of <paramref name="sweepId"/> holds: one of the sweep's own artifacts
    /// (<see cref="StoredArtifact.ConfigName"/> null) or one of a run's; null for any other key (state, checkpoints).
    /// </summary>
    public static StoredArtifact? ArtifactOf(string sweepId, string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var sweepArtifacts = SweepArtifactPrefix(sweepId);
        if (key.StartsWith(sweepArtifacts, StringComparison.Ordinal))
        {
            return new StoredArtifact(null, key[sweepArtifacts.Length..]);
        }

        var runs = $"{sweepId}/{RunsSegment}/";
        if (!key.StartsWith(runs, StringComparison.Ordinal))
        {
            return null;
        }

        var slash = key.IndexOf('/', runs.Length);
        if (slash < 0)
        {
            return null;
        }

        var config = key[runs.Length..slash];
        var prefix = RunArtifactPrefix(new RunKey(sweepId, config));
        return key.StartsWith(prefix, StringComparison.Ordinal) ? new StoredArtifact(config, key[prefix.Length..]) : null;
    }

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

/// <summary>An artifact found in the store: a run's (<paramref name="ConfigName"/>) or the sweep's own (null), and its file name.</summary>
public sealed record StoredArtifact(string? ConfigName, string Name);
