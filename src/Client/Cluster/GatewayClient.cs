using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LearnedActivation.Client.Cluster;

/// <summary>
/// This process as an Orleans client (no silo here): the grains behind a cluster's gateways or an embedded
/// sweep's gateway. Commands reach grains through <see cref="Grains"/>, never through the host's services.
/// </summary>
internal sealed class GatewayClient : IAsyncDisposable
{
    private readonly IHost _host;

    private GatewayClient(IHost host)
    {
        _host = host;
        Grains = host.Services.GetRequiredService<IClusterClient>();
    }

    public IGrainFactory Grains { get; }

    /// <summary>
    /// Connects once (no retries: a gateway that does not answer is the caller's to report) within
    /// <paramref name="timeout"/>; throws what the connection failed with, or OperationCanceledException past the timeout.
    /// </summary>
    /// <param name="clustering">How the client finds gateways (localhost port, Redis membership) and the cluster's ids.</param>
    /// <param name="timeout">How long connecting may take in all.</param>
    /// <param name="cancellationToken">Ctrl+C.</param>
    public static async Task<GatewayClient> ConnectAsync(Action<IClientBuilder> clustering, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clustering);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            clustering(client);
            client.UseConnectionRetryFilter((_, _) => Task.FromResult(false));
        });
        var host = builder.Build();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await host.StartAsync(deadline.Token);
            return new GatewayClient(host);
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
    }
}
