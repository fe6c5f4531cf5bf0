using LearnedActivation.Client.Cli;
using LearnedActivation.Client.Commands;
using LearnedActivation.Client.Embedded;
using LearnedActivation.Grains.Storage;
using LearnedActivation.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using StackExchange.Redis;

namespace LearnedActivation.Client.Cluster;

/// <summary>
/// The CLI as an Orleans client of a running cluster (no silo in this process): it finds the silos'
/// gateways through the cluster's Redis membership table. A cluster that cannot be reached is one
/// clear error within seconds (<see cref="ClusterUnreachableException"/>), never a hang.
/// </summary>
internal static class ClusterClient
{
    /// <summary>How long connecting may take in all: Redis, the membership table, a gateway.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How long the CLI waits out a blob-store outage before it gives up (silos wait much longer).</summary>
    public static readonly TimeSpan BlobOutageTolerance = TimeSpan.FromSeconds(10);

    public static async Task<IHost> ConnectAsync(string redis, CancellationToken cancellationToken)
    {
        ConfigurationOptions redisOptions;
        try
        {
            redisOptions = ConfigurationOptions.Parse(redis);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--cluster: '{redis}' is not a Redis connection string ({e.Message})", e);
        }

        redisOptions.AbortOnConnectFail = true;
        redisOptions.ConnectTimeout = 3000;
        redisOptions.ConnectRetry = 1;

        // The cluster's ids are the silos' (LEARNACT_Silo__ClusterId / ServiceId, default "learnact").
        var ids = new ConfigurationBuilder().AddEnvironmentVariables(EmbeddedSilo.EnvironmentPrefix).Build()
            .GetSection(SiloHostOptions.Section).Get<SiloHostOptions>() ?? new SiloHostOptions();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client => client
            .UseRedisClustering(o => o.ConfigurationOptions = redisOptions)
            .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (ids.ClusterId, ids.ServiceId))
            .UseConnectionRetryFilter((_, _) => Task.FromResult(false)));
        var host = builder.Build();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectTimeout);
        try
        {
            await host.StartAsync(timeout.Token);
            return host;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            host.Dispose();
            var reason = e is OperationCanceledException ? $"no answer within {ConnectTimeout.TotalSeconds:0} s" : FirstLine(e);
            throw new ClusterUnreachableException($"cannot reach the cluster at {redis} (cluster '{ids.ClusterId}'): {reason}; is Redis running, and at least one silo? (deploy/local-cluster.sh start)", e);
        }
    }

    /// <summary>The cluster's blob store, for copying artifacts out; needs --blob or $LEARNACT_BLOB.</summary>
    public static AzureBlobStore OpenStore(StoreSettings settings, string purpose)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var connection = settings.BlobConnection
            ?? throw new UsageException($"{purpose} needs the cluster's blob store: pass --blob CONNECTION_STRING or set {StoreSettings.BlobVariable}");
        try
        {
            return new AzureBlobStore(new BlobStoreOptions
            {
                Provider = BlobStoreProvider.AzureBlob,
                ConnectionString = connection,
                Container = settings.BlobContainer,
                OutageTolerance = BlobOutageTolerance,
            });
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new UsageException($"--blob: not an Azure Storage connection string ({e.Message})", e);
        }
    }

    /// <summary>The innermost message that says something (Orleans wraps the Redis error).</summary>
    private static string FirstLine(Exception e)
    {
        var inner = e;
        while (inner.InnerException is not null && inner is AggregateException or OrleansException)
        {
            inner = inner.InnerException;
        }

        if (inner is RedisConnectionException)
        {
            return "Redis does not answer there";
        }

        var message = inner.Message.ReplaceLineEndings(" ");
        return message.Length > 300 ? message[..300] + "..." : message;
    }
}
