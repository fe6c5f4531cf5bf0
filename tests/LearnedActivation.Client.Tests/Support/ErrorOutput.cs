using LearnedActivation.Client.Cli;

namespace LearnedActivation.Client.Tests.Support;

/// <summary>The shape every user-facing error must have: exit code 2 and one "error: ..." line, no stack trace.</summary>
internal static class ErrorOutput
{
    /// <summary>
    /// Asserts the run was rejected as bad input and ended with exactly one error line, and returns that line.
    /// A status line ("Loading ...") may come before it: Spectre prints one when the spinner gets to draw.
    /// </summary>
    public static string AssertBadInput(int exitCode, IReadOnlyList<string> lines, string context)
    {
        Assert.True(exitCode == ExitCodes.BadInput, $"expected exit code {ExitCodes.BadInput}, got {exitCode}; {context}");
        var errors = lines.Where(l => l.StartsWith("error: ", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 1, $"expected one error line, got {errors.Count}; {context}");
        Assert.True(lines.Count > 0 && lines[^1] == errors[0], $"the error must be the last line (nothing after it, no stack trace); {context}");
        Assert.DoesNotContain("Exception", errors[0], StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        return errors[0];
    }

    public static string AssertBadInput(CliResult result) => AssertBadInput(result.ExitCode, result.Lines, result.ToString());
}
