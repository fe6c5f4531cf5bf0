using System.Globalization;
using System.Text.RegularExpressions;

namespace LearnedActivation.Client.Tests.Support;

/// <summary>
/// Reads what a sweep left in the embedded file-system store:
/// <c>{root}/{sweep}/runs/{config}/{checkpoints,artifacts}/</c>, <c>{root}/{sweep}/artifacts/</c> and the
/// process log <c>{root}/logs/learnact.clef</c>.
/// </summary>
internal sealed partial class SweepStore(string root, string sweepId)
{
    public string Root { get; } = root;

    public string SweepFolder => Path.Combine(Root, sweepId);

    public string LogFile => Path.Combine(Root, "logs", "learnact.clef");

    public string Artifact(string name) => Path.Combine(SweepFolder, "artifacts", name);

    public string RunArtifact(string config, string name) => Path.Combine(SweepFolder, "runs", config, "artifacts", name);

    /// <summary>
    /// The epoch of the checkpoint the run's stored record names (what a resume starts from), 0 when it names none
    /// (yet). Not the newest checkpoint file: an execution writes its checkpoint first and records it after, so a
    /// kill between the two leaves a checkpoint that nothing resumes from, rightly.
    /// </summary>
    public int LatestCheckpoint(string config)
    {
        var record = Path.Combine(SweepFolder, "runs", config, "state", "run.json");
        try
        {
            var named = RecordedCheckpoint().Match(File.ReadAllText(record));
            return named.Success ? int.Parse(named.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            // Not written yet, or being replaced right now: the caller asks again.
            return 0;
        }
    }

    /// <summary>results.csv as one dictionary (column -> cell) per row.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> ResultsTable()
    {
        var path = Artifact("results.csv");
        Assert.True(File.Exists(path), $"{path} was not written");
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToList();
        Assert.True(lines.Count > 0, $"{path} is empty");
        var header = lines[0].Split(',');
        return lines.Skip(1).Select(line =>
        {
            var cells = line.Split(',');
            Assert.True(cells.Length == header.Length, $"{path}: row '{line}' has {cells.Length} cells, the header {header.Length}");
            return (IReadOnlyDictionary<string, string>)header.Zip(cells).ToDictionary(p => p.First, p => p.Second);
        }).ToList();
    }

    [GeneratedRegex(@"""lastCheckpointKey"":\s*""[^""]*/epoch-(\d+)\.ckpt""")]
    private static partial Regex RecordedCheckpoint();
}
