using LearnedActivation.Client.Cli;
using Spectre.Console;

// Ctrl+C asks commands to stop cleanly (checkpoint, keep the store consistent); a second Ctrl+C kills.
using var interrupt = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    if (!interrupt.IsCancellationRequested)
    {
        e.Cancel = true;
        interrupt.Cancel();
    }
};

return await LearnactApp.RunAsync(args, AnsiConsole.Console, interrupt.Token, Console.Error);
