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

    /// <summary>The newest checkpoint epoch stored for a run, 0 when it has none (yet).</summary>
    public int LatestCheckpoint(string config)
    {
        var folder = Path.Combine(SweepFolder, "runs", config, "checkpoints");
        if (!Directory.Exists(folder))
        {
            return 0;
        }

        // Checksums sit beside each checkpoint (.ckpt.sha256): only the checkpoints themselves count.
        // Each execution checkpoints into a folder of its own under the run's.
        return Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => CheckpointName().Match(Path.GetFileName(f)))
            .Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))
            .DefaultIfEmpty(0)
            .Max();
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

    [GeneratedRegex(@"^epoch-(\d+)\.ckpt$")]
    private static partial Regex CheckpointName();
}
