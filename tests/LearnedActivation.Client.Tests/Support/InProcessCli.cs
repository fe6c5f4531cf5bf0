using LearnedActivation.Client.Cli;
using Spectre.Console.Testing;

namespace LearnedActivation.Client.Tests.Support;

/// <summary>Runs the learnact command tree in-process against a <see cref="TestConsole"/>.</summary>
internal static class InProcessCli
{
    /// <summary>
    /// Wide enough that a message is never folded by the console: these tests check what the CLI says;
    /// how a narrow terminal wraps it is the console's business (the process tests cover redirected output).
    /// </summary>
    private const int ConsoleWidth = 1000;

    public static async Task<CliResult> RunAsync(params string[] args)
    {
        using var console = new TestConsole().Width(ConsoleWidth);
        var exitCode = await LearnactApp.RunAsync(args, console, CancellationToken.None);
        return new CliResult(exitCode, console.Output);
    }
}

/// <summary>What a run of the CLI left: its exit code and everything it wrote.</summary>
internal sealed record CliResult(int ExitCode, string Output)
{
    public IReadOnlyList<string> Lines { get; } = Output.Split('\n').Select(l => l.TrimEnd('\r', ' ')).Where(l => l.Length > 0).ToList();

    public override string ToString() => $"exit code {ExitCode}, output:\n{Output}";
}
