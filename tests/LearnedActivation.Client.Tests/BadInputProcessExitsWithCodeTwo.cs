using LearnedActivation.Client.Tests.Support;

namespace LearnedActivation.Client.Tests;

/// <summary>
/// Bad input through the real process (redirected output, as in a script or CI log): exit code 2, and the error is
/// one whole line, not a stack trace nor a message folded at the 80 columns a redirected console assumes.
/// </summary>
public sealed class BadInputProcessExitsWithCodeTwo : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task UnknownBaseIsOneErrorLineAndExitCodeTwo()
    {
        var result = await LearnactProcess.RunAsync(_dir.Path, Timeout, "train", "--base", "swish");

        var line = ErrorOutput.AssertBadInput(result.ExitCode, result.Lines, result.ToString());
        Assert.Single(result.Lines);
        Assert.Contains("--base", line, StringComparison.Ordinal);
        Assert.Contains("tanh|relu|gelu", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LongDataErrorStaysOnOneLine()
    {
        // A realistic path makes the message longer than 80 columns.
        var folder = Path.Combine(_dir.Path, "experiments", "covertype-binary", "inputs");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "features-with-a-bad-cell.csv");
        File.WriteAllText(path, "elevation,slope,target\n1,2,0\n3,4,1\n5,n/a,0\n");

        var result = await LearnactProcess.RunAsync(_dir.Path, Timeout, "train", "--epochs", "1", "--data", path, "--target", "target", "--out", _dir.File("out"));

        // Folded output fails here: the last line would be the tail of the message, not the "error:" line.
        var line = ErrorOutput.AssertBadInput(result.ExitCode, result.Lines, result.ToString());
        Assert.Contains(path, line, StringComparison.Ordinal);
        Assert.Contains("'slope'", line, StringComparison.Ordinal);
        Assert.Contains("line 4", line, StringComparison.Ordinal);
    }
}
