using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Training;
using LearnedActivation.Model.Data;
using Microsoft.Extensions.Options;

namespace LearnedActivation.Grains.Tests.Training;

/// <summary>What a silo reads for a spec's data.file: only under Data:Root on a cluster, nothing without a root.</summary>
public sealed class SplitDataCacheReadsOnlyUnderTheDataRoot : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void AClusterSiloWithoutARootReadsNoLocalFile()
    {
        var cache = Cache(new DataAccessOptions { RequireRoot = true });

        var error = Assert.Throws<DataException>(() => cache.Locate(_dir.Write("x.csv", "a,y\n")));

        Assert.Contains("reads no local data files", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARelativeNameIsReadUnderTheRootAndAnEscapeFailsTheLoad()
    {
        var root = Directory.CreateDirectory(_dir.File("data")).FullName;
        var rows = string.Concat(Enumerable.Range(0, 200).Select(i => $"{i},{i % 7},{i % 2}\n"));
        File.WriteAllText(Path.Combine(root, "ok.csv"), "a,b,y\n" + rows);
        _dir.Write("secret.csv", "a,b,y\n" + rows);
        File.CreateSymbolicLink(Path.Combine(root, "link.csv"), _dir.File("secret.csv"));
        var cache = Cache(new DataAccessOptions { Root = root, RequireRoot = true });

        var split = await cache.GetAsync(new DataSpec("ok.csv", "y"), seed: 0, CancellationToken.None);
        var escape = await Assert.ThrowsAsync<DataException>(() => cache.GetAsync(new DataSpec("link.csv", "y"), seed: 0, CancellationToken.None));

        Assert.Equal(140, split.Splits.Train.Rows);
        Assert.Contains("outside the data root", escape.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheEmbeddedDefaultIsUnrestricted()
    {
        var outside = _dir.Write("anywhere.csv", "a,y\n");

        Assert.Equal(outside, new SplitDataCache().Locate(outside));
    }

    private static SplitDataCache Cache(DataAccessOptions options) => new(Options.Create(options), Options.Create(DataLimits.Default));
}
