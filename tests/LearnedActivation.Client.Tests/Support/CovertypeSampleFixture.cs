using System.Globalization;

namespace LearnedActivation.Client.Tests.Support;

/// <summary>One temp folder with the covertype sample, shared by the end-to-end tests of a class.</summary>
public sealed class CovertypeSampleFixture : IDisposable
{
    /// <summary>
    /// 40,000 rows, not fewer: with the study's optimiser (Adam 1e-3, batch 512) two epochs on 4,000 rows are 12 steps,
    /// after which the network still predicts one class (test accuracy = the majority rate, 0.48 or 0.52 depending
    /// on the configuration). 40,000 rows still train in about a second and leave the network clearly better than that.
    /// </summary>
    public const int Rows = 40_000;

    private readonly TempDirectory _dir = new();

    public CovertypeSampleFixture()
    {
        DataFile = CovertypeSample.Write(_dir.File("covertype-sample.csv"), Rows);
        var positives = File.ReadLines(DataFile).Skip(1).Count(l => double.Parse(l[(l.LastIndexOf(',') + 1)..], CultureInfo.InvariantCulture) > 0);
        MajorityRate = Math.Max(positives, Rows - positives) / (double)Rows;
    }

    public string DataFile { get; }

    /// <summary>The accuracy of always predicting the more frequent class (the split is stratified, so the test set's is the same).</summary>
    public double MajorityRate { get; }

    /// <summary>A new empty folder for one test's run, under the shared temp folder.</summary>
    public string NewFolder(string name)
    {
        var path = _dir.File(name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        return path;
    }

    public void Dispose() => _dir.Dispose();
}
