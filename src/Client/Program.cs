using System.Runtime.InteropServices;
using LearnedActivation.Client.Cli;
using Spectre.Console;

// Ctrl+C (SIGINT) and SIGTERM (kill, container stop) ask commands to stop cleanly: runs keep their last
// checkpoint and the store stays consistent. A second signal is not intercepted and ends the process.
using var interrupt = new CancellationTokenSource();
void OnSignal(PosixSignalContext context)
{
    if (!interrupt.IsCancellationRequested)
    {
        context.Cancel = true;
        interrupt.Cancel();
    }
}

using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

// Redirected output (logs, CI) has no terminal width; Spectre would assume 80 columns and fold tables.
if (Console.IsOutputRedirected)
{
    AnsiConsole.Console.Profile.Width = 160;
}

return await LearnactApp.RunAsync(args, AnsiConsole.Console, interrupt.Token, Console.Error);
