using LearnedActivation.Client.Cli;
using LearnedActivation.Grains.Contracts;
using LearnedActivation.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LearnedActivation.Client.Embedded;

/// <summary>
/// Reaches a sweep for a read or a control command. While <c>learnact sweep</c> runs, its silo owns the
/// store, so the command connects to that silo's gateway as an Orleans client; when no silo answers
/// (the sweep process has exited), it hosts a status-only silo on the store (no training).
/// </summary>
internal sealed class SweepConnection : IAsyncDisposable
{
    private readonly IAsyncDisposable _owner;

    private SweepConnection(IGrainFactory grains, IAsyncDisposable owner, bool live)
    {
        Grains = grains;
        _owner = owner;
        IsLive = live;
    }

    public IGrainFactory Grains { get; }

    /// <summary>True when connected to a running sweep process, false when reading the store directly.</summary>
    public bool IsLive { get; }

    /// <summary>True when connected to a cluster through its Redis membership (not an embedded sweep's gateway).</summary>
    public bool IsCluster { get; private init; }

    /// <summary>The cluster the settings name (as its client), else the embedded store (see the other overload).</summary>
    public static async Task<SweepConnection> OpenAsync(Commands.StoreSettings settings, string sweepId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.ClusterRedis is { } redis)
        {
            var client = await Cluster.ClusterClient.ConnectAsync(redis, cancellationToken);
            return new SweepConnection(client.Services.GetRequiredService<IClusterClient>(), new HostOwner(client), live: true) { IsCluster = true };
        }

        return await OpenAsync(settings.StoreRoot, sweepId, cancellationToken);
    }

    public static async Task<SweepConnection> OpenAsync(string storeRoot, string sweepId, CancellationToken cancellationToken)
    {
        // Look where the sweep process listens: it takes its ports and ids from LEARNACT_Silo__* (see EmbeddedSilo).
        var silo = new ConfigurationBuilder().AddEnvironmentVariables(EmbeddedSilo.EnvironmentPrefix).Build()
            .GetSection(SiloHostOptions.Section).Get<SiloHostOptions>() ?? new SiloHostOptions();
        var client = await TryConnectAsync(silo, cancellationToken);
        if (client is not null)
        {
            return new SweepConnection(client.Services.GetRequiredService<IClusterClient>(), new HostOwner(client), live: true);
        }

        if (!Directory.Exists(Path.Combine(storeRoot, sweepId)))
        {
            throw new UsageException($"no sweep '{sweepId}' in store {Path.GetFullPath(storeRoot)} (and no running sweep process answered)");
        }

        var reader = await EmbeddedSilo.StartAsync(storeRoot, slots: null, train: false, cancellationToken);
        return new SweepConnection(reader.Grains, reader, live: false);
    }

    public async Task<SweepStatus> StatusAsync(string sweepId)
    {
        var status = await Grains.GetGrain<ISweepGrain>(sweepId).GetStatusAsync();
        return status.Phase == SweepPhase.Unknown
            ? throw new UsageException($"no sweep '{sweepId}' is known to the {(IsLive ? "running cluster" : "store")}")
            : status;
    }

    public ValueTask DisposeAsync() => _owner.DisposeAsync();

    private static async Task<IHost?> TryConnectAsync(SiloHostOptions silo, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client => client
            .UseLocalhostClustering(silo.GatewayPort, serviceId: silo.ServiceId, clusterId: silo.ClusterId)
            .UseConnectionRetryFilter((_, _) => Task.FromResult(false)));
        var host = builder.Build();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await host.StartAsync(timeout.Token);
            return host;
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Nothing listening (or not an Orleans gateway): the caller falls back to the store.
            host.Dispose();
            return null;
        }
    }

    private sealed class HostOwner(IHost host) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await host.StopAsync(CancellationToken.None);
            host.Dispose();
        }
    }
}
