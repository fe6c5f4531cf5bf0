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
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public override async Task<int> ExecuteAsync(CommandContext context, StatusSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);

        // While a process runs the sweep, its silo answers; else the store is read as it is (no silo to start).
        await using var connection = await SweepConnection.OpenRunningAsync(settings, cancellationToken);
        var live = connection is not null;
        var status = connection is not null
            ? await connection.StatusAsync(settings.Sweep)
            : await SweepConnection.ReadStoredStatusAsync(settings, settings.Sweep, cancellationToken);
        if (settings.Json)
        {
            // "live": false means no process is training this sweep now, so "running" runs are interrupted
            // and wait for `learnact sweep` to resume them (the table shows them as "interrupted").
            var document = JsonSerializer.SerializeToNode(status, JsonOptions)!.AsObject();
            document.Insert(0, "live", live);
            console.Profile.Out.Writer.WriteLine(document.ToJsonString(JsonOptions));
            return 0;
        }

        if (!settings.Watch)
        {
            console.Write(StatusView.Render(status, DateTimeOffset.UtcNow, live));
            return 0;
        }

        await console.Live(StatusView.Render(status, DateTimeOffset.UtcNow, live)).StartAsync(async view =>
        {
            // Read from the store (no sweep process), nothing will change: one look is all there is.
            while (connection is not null && status.Phase is SweepPhase.Running or SweepPhase.Assembling)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                status = await connection.StatusAsync(settings.Sweep);
                view.UpdateTarget(StatusView.Render(status, DateTimeOffset.UtcNow, live));
            }
        });
        return 0;
    }
}
