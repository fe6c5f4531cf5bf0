using Microsoft.Extensions.Hosting;

namespace LearnedActivation.Silo.Hosting;

/// <summary>
/// The lifetime of a host that lives inside a command (<c>learnact sweep</c>'s embedded silo, <c>learnact dashboard</c>):
/// it listens to no signal. The default <c>ConsoleLifetime</c> would stop the host on SIGINT/SIGTERM by itself,
/// racing the command's own clean stop (runs keep their epoch's checkpoint, then the host stops), so the command,
/// which owns the process's signals, decides when its host stops.
/// </summary>
public sealed class CallerOwnedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
