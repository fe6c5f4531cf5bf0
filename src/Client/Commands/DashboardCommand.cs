using System.ComponentModel;
using System.Net;
using LearnedActivation.Client.Cli;
using LearnedActivation.Client.Embedded;
using LearnedActivation.Grains.Storage;
using LearnedActivation.Silo.Dashboard;
using Spectre.Console;
using Spectre.Console.Cli;

namespace LearnedActivation.Client.Commands;

/// <summary>Options of <c>learnact dashboard</c>.</summary>
public sealed class DashboardSettings : StoreSettings
{
    [CommandArgument(0, "[SWEEP]")]
    [Description("Sweep to show first (a finished one too). Default: study.")]
    public string Sweep { get; init; } = SweepSettings.DefaultId;

    [CommandOption("--port <PORT>")]
    [Description("Port to serve the page on. Default: 8265, or a free port when that one is taken.")]
    public int? Port { get; init; }

    [CommandOption("--address <IP>")]
    [Description("Address to listen on. Default: loopback. Anything else exposes the cluster's runs without authentication: put the cluster's TLS/auth in front.")]
    public string? Address { get; init; }

    public override ValidationResult Validate()
    {
        if (Port is < 1 or > 65535)
        {
            return ValidationResult.Error($"--port: must be between 1 and 65535 (got {Port})");
        }

        return Address is not null && !IPAddress.TryParse(Address, out _)
            ? ValidationResult.Error($"--address: '{Address}' is not an IP address")
            : ValidateSweepId(Sweep);
    }

    public DashboardOptions Options() => Address is null
        ? new DashboardOptions { Port = Port }
        : new DashboardOptions { Port = Port, Address = Address, AllowRemote = true };
}

/// <summary>
/// <c>learnact dashboard</c>: serves the sweep dashboard for any sweep of a store or cluster, running or finished,
/// until Ctrl+C. Through the running sweep process or cluster when there is one; else on a status-only silo
/// over the store (which also mounts Orleans' dashboard).
/// </summary>
public sealed class DashboardCommand(IAnsiConsole console) : AsyncCommand<DashboardSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, DashboardSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var options = settings.Options();
        await using var running = await SweepConnection.OpenRunningAsync(settings, cancellationToken);
        if (running is not null)
        {
            var store = settings.IsCluster && settings.BlobConnection is null ? null : settings.OpenStore("reading checkpoints");
            var sweeps = new DashboardSweeps();
            sweeps.Add(settings.Sweep);
            await using var app = DashboardHosting.BuildForClient(options, running.Grains, store, sweeps);
            await app.StartAsync(cancellationToken);
            return await ServeAsync(DashboardHosting.UrlOf(app), cancellationToken);
        }

        var root = Path.GetFullPath(settings.StoreRoot);
        if (!await settings.OpenStore("reading the store").ExistsAsync(StoreLayout.SweepState(settings.Sweep), cancellationToken))
        {
            throw new UsageException($"no sweep '{settings.Sweep}' in store {root} (and no sweep process is running on it)");
        }

        await using var reader = await EmbeddedSilo.StartReaderAsync(root, cancellationToken, options);
        reader.Sweeps.Add(settings.Sweep);
        return await ServeAsync(reader.DashboardUrl, cancellationToken);
    }

    private async Task<int> ServeAsync(Uri? url, CancellationToken cancellationToken)
    {
        console.MarkupLineInterpolated($"Dashboard: {url?.ToString() ?? "-"} (Ctrl+C to stop)");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C: the page is no longer served.
        }

        return ExitCodes.Ok;
    }
}
