using System.ComponentModel;
using System.Text.Json;
using LearnedActivation.Client.Embedded;
using LearnedActivation.Client.Views;
using LearnedActivation.Grains.Contracts;
using Spectre.Console;
using Spectre.Console.Cli;

namespace LearnedActivation.Client.Commands;

/// <summary>Options of <c>learnact status</c>.</summary>
public sealed class StatusSettings : StoreSettings
{
    [CommandArgument(0, "[SWEEP]")]
    [Description("Sweep id. Default: study.")]
    public string Sweep { get; init; } = SweepSettings.DefaultId;

    public override ValidationResult Validate() => ValidateSweepId(Sweep);

    [CommandOption("--watch")]
    [Description("Refresh until the sweep has finished (Ctrl+C to stop watching).")]
    public bool Watch { get; init; }

    [CommandOption("--json")]
    [Description("Print the status as JSON.")]
    public bool Json { get; init; }
}

/// <summary><c>learnact status</c>: where a sweep stands, while it runs (via its silo) or afterwards (from the store).</summary>
public sealed class StatusCommand(IAnsiConsole console) : AsyncCommand<StatusSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, StatusSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);

        // While a process runs the sweep, it answers (its dashboard, else its gateway); else the store is read as it is.
        await using var reader = await StatusReader.OpenAsync(settings, settings.Sweep, cancellationToken);
        var status = reader.First;
        var live = reader.IsLive;
        if (settings.Json)
        {
            // "live": false means no process is training this sweep now, so "running" runs are interrupted
            // and wait for `learnact sweep` to resume them (the table shows them as "interrupted"). "answeredBy" says
            // what was read: the running process's dashboard or gateway, the cluster, or the store.
            var document = JsonSerializer.SerializeToNode(status, SweepStatusJson.Options)!.AsObject();
            document.Insert(0, "live", live);
            document.Insert(1, "answeredBy", reader.Source);
            console.Profile.Out.Writer.WriteLine(document.ToJsonString(SweepStatusJson.Options));
            return 0;
        }

        if (!settings.Watch)
        {
            console.Write(StatusView.Render(status, DateTimeOffset.UtcNow, live));
            return 0;
        }

        await console.Live(StatusView.Render(status, DateTimeOffset.UtcNow, live)).StartAsync(async view =>
        {
            // Read from the store (no sweep process), nothing will change: one look is all there is. A process
            // that went away mid-watch leaves its last answer on screen.
            while (live && status.Phase is SweepPhase.Running or SweepPhase.Assembling)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                if (await reader.NextAsync() is not { } next)
                {
                    break;
                }

                status = next;
                view.UpdateTarget(StatusView.Render(status, DateTimeOffset.UtcNow, live));
            }
        });
        return 0;
    }
}
