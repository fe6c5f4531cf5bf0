using LearnedActivation.Client.Cli;
using LearnedActivation.Client.Embedded;
using LearnedActivation.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
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

    public static async Task<GatewayClient> ConnectAsync(string redis, CancellationToken cancellationToken)
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
        try
        {
            return await GatewayClient.ConnectAsync(
                client => client
                    .UseRedisClustering(o => o.ConfigurationOptions = redisOptions)
                    .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (ids.ClusterId, ids.ServiceId)),
                ConnectTimeout,
                cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            var reason = e is OperationCanceledException ? $"no answer within {ConnectTimeout.TotalSeconds:0} s" : FirstLine(e);
            throw new ClusterUnreachableException($"cannot reach the cluster at {redis} (cluster '{ids.ClusterId}'): {reason}; is Redis running, and at least one silo? (deploy/local-cluster.sh start)", e);
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
