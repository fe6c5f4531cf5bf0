using LearnedActivation.Client.Tests.Support;

namespace LearnedActivation.Client.Tests;

/// <summary>
/// A data file the CLI cannot use is the user's input problem: exit code 2 and one line that says which file
/// and, where it applies, which column and line to fix.
/// </summary>
public sealed class BadDataFilesExitWithCodeTwo : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task MissingFileIsRejectedNamingTheFile()
    {
        var path = _dir.File("missing.csv");

        var line = ErrorOutput.AssertBadInput(await TrainOnAsync(path, "y"));

        Assert.Contains(path, line, StringComparison.Ordinal);
        Assert.Contains("not found", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NonNumericCellIsRejectedNamingFileColumnAndLine()
    {
        // Line 4 of the file (the header is line 1) holds the bad cell, in column "b".
        var path = _dir.Write("bad-cell.csv", "a,b,y\n1,2,0\n3,4,1\n5,oops,0\n7,8,1\n");

        var line = ErrorOutput.AssertBadInput(await TrainOnAsync(path, "y"));

        Assert.Contains(path, line, StringComparison.Ordinal);
        Assert.Contains("'b'", line, StringComparison.Ordinal);
        Assert.Contains("line 4", line, StringComparison.Ordinal);
        Assert.Contains("oops", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HeaderOnlyFileIsRejectedNamingTheFile()
    {
        var path = _dir.Write("header-only.csv", "a,b,y\n");

        var line = ErrorOutput.AssertBadInput(await TrainOnAsync(path, "y"));

        Assert.Contains(path, line, StringComparison.Ordinal);
        Assert.Contains("no data rows", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmptyFileIsRejectedNamingTheFile()
    {
        var path = _dir.Write("empty.csv", "");

        var line = ErrorOutput.AssertBadInput(await TrainOnAsync(path, "y"));

        Assert.Contains(path, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownTargetColumnIsRejectedListingTheColumns()
    {
        var path = _dir.Write("no-target.csv", "a,b,label\n1,2,0\n3,4,1\n");

        var line = ErrorOutput.AssertBadInput(await TrainOnAsync(path, "y"));

        Assert.Contains(path, line, StringComparison.Ordinal);
        Assert.Contains("'y'", line, StringComparison.Ordinal);
        Assert.Contains("label", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RaggedRowIsRejectedNamingTheLine()
    {
        var path = _dir.Write("ragged.csv", "a,b,y\n1,2,0\n3,1\n");

        var line = ErrorOutput.AssertBadInput(await TrainOnAsync(path, "y"));

        Assert.Contains(path, line, StringComparison.Ordinal);
        Assert.Contains("line 3", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadFileWritesNoOutputs()
    {
        var path = _dir.Write("bad-cell.csv", "a,b,y\n1,2,0\n3,x,1\n");
        var outDir = _dir.File("out");

        ErrorOutput.AssertBadInput(await TrainOnAsync(path, "y", outDir));

        Assert.False(Directory.Exists(outDir) && Directory.EnumerateFileSystemEntries(outDir).Any(), "a rejected run must leave no outputs behind");
    }

    private Task<CliResult> TrainOnAsync(string data, string target, string? outDir = null) =>
        InProcessCli.RunAsync("train", "--epochs", "1", "--data", data, "--target", target, "--out", outDir ?? _dir.File("out"));
}
