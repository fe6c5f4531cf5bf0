using System.ComponentModel;
using LearnedActivation.Client.Embedded;
using LearnedActivation.Grains.Contracts;
using Spectre.Console;
using Spectre.Console.Cli;

namespace LearnedActivation.Client.Commands;

/// <summary>Options of <c>learnact cancel</c>.</summary>
public sealed class CancelSettings : SweepIdSettings
{
}

/// <summary>
/// <c>learnact cancel</c>: stops every run of a sweep that has not ended; each keeps its last checkpoint
/// and ends Cancelled. On a cluster, or on the running embedded sweep's silo, or (no sweep running) on the store.
/// </summary>
public sealed class CancelCommand(IAnsiConsole console) : AsyncCommand<CancelSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, CancelSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        await using var connection = await SweepConnection.OpenAsync(settings, settings.Sweep, cancellationToken);
        var before = await connection.StatusAsync(settings.Sweep);
        if (before.Phase is not SweepPhase.Running)
        {
            console.MarkupLineInterpolated($"Sweep {settings.Sweep} is {before.Phase.ToString().ToLowerInvariant()}: nothing to cancel");
            return 0;
        }

        await connection.Grains.GetGrain<ISweepGrain>(settings.Sweep).CancelAsync();
        var after = await connection.StatusAsync(settings.Sweep);
        console.MarkupLineInterpolated($"Sweep {settings.Sweep} cancelled: {after.Totals.Completed} runs completed, {after.Runs.Count(r => !r.IsTerminal)} stopping (they keep their last checkpoint), {after.Totals.Cancelled} cancelled");
        return 0;
    }
}
