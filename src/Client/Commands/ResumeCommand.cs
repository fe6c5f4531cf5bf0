using System.ComponentModel;
using System.Globalization;
using LearnedActivation.Client.Cli;
using LearnedActivation.Client.Embedded;
using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Sweeps;
using LearnedActivation.Model.Configuration;
using Spectre.Console;
using Spectre.Console.Cli;

namespace LearnedActivation.Client.Commands;

/// <summary>Options of <c>learnact resume</c>.</summary>
public sealed class ResumeSettings : SweepIdSettings
{
}

/// <summary>
/// <c>learnact resume</c>: starts a cancelled, failed or otherwise unfinished sweep again with the spec it
/// was submitted with: completed runs stay, the others are queued and continue from their last checkpoints.
/// It needs somewhere to train: a cluster (<c>--cluster</c>) or a running <c>learnact sweep</c> process.
/// </summary>
public sealed class ResumeCommand(IAnsiConsole console) : AsyncCommand<ResumeSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ResumeSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        // Only a running process or cluster can train; a status-only silo on the store would start just to refuse.
        await using var connection = await SweepConnection.OpenRunningAsync(settings, cancellationToken)
            ?? throw new UsageException($"no cluster or sweep process is running to train sweep '{settings.Sweep}': resume it here with {await CommandHereAsync(settings, cancellationToken)}, or pass --cluster");

        var before = await connection.StatusAsync(settings.Sweep);
        var after = await connection.Grains.GetGrain<ISweepGrain>(settings.Sweep).StartAsync(before.Spec!);
        var waiting = after.Runs.Count(r => !r.IsTerminal);
        console.MarkupLineInterpolated($"Sweep {settings.Sweep} resumed: {after.Totals.Completed} runs completed, {waiting} queued or training (from their last checkpoints). Follow it with: learnact status {settings.Sweep} --watch");
        return ExitCodes.Ok;
    }

    /// <summary>
    /// The command that resumes the sweep in a process of its own: the one that started it, with the options that make
    /// the same spec (a transfer sweep is not a study: <c>learnact sweep --id</c> would submit another spec under its id).
    /// </summary>
    private static async Task<string> CommandHereAsync(ResumeSettings settings, CancellationToken cancellationToken)
    {
        SweepStatus? stored;
        try
        {
            stored = await SweepStoreView.ReadStatusAsync(settings.OpenStore("reading the store"), settings.Sweep, DateTimeOffset.UtcNow, cancellationToken);
        }
        catch (IOException)
        {
            // Only a hint: a store that cannot be read here gets the general one.
            stored = null;
        }

        if (stored?.Spec is { Transfer: { } transfer, Data.File: { } file } spec)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"learnact transfer {transfer.SourceSweepId} --data {Quoted(file)} --target {Quoted(spec.Data.Target)} --seeds {spec.Axes.Seeds.Count} --max-epochs {spec.Budget.Epochs} --patience {spec.Budget.Patience} --activation-eval {Names.Of(spec.Budget.ActivationEval)} --id {settings.Sweep}");
        }

        return $"learnact sweep --id {settings.Sweep} (and the same spec)";
    }

    private static string Quoted(string? value) => value is not null && value.Any(char.IsWhiteSpace) ? $"\"{value}\"" : value ?? string.Empty;
}
