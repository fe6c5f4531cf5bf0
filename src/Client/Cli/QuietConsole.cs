using Spectre.Console;

namespace LearnedActivation.Client.Cli;

/// <summary>A console that shows nothing: the human display when a command prints machine output (--json).</summary>
internal static class QuietConsole
{
    public static IAnsiConsole Instance { get; } = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(TextWriter.Null),
        Interactive = InteractionSupport.No,
        Ansi = AnsiSupport.No,
    });
}
