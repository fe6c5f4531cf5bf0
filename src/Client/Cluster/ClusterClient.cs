using LearnedActivation.Client.Cli;
using LearnedActivation.Client.Embedded;
using LearnedActivation.Silo.Hosting;
using LearnedActivation.Silo.Hosting.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using StackExchange.Redis;

namespace LearnedActivation.Client.Cluster;

/// <summary>
/// The CLI as an Orleans client of a running cluster (no silo in this process): it finds the silos'
/// gateways through the cluster's Redis membership table. A cluster that cannot be reached is one
/// clear error within seconds (<see cref="ClusterUnreachableException"/>), never a hang; so is a gateway that
/// refuses this client's certificate (or its lack of one). Settings come from LEARNACT_ environment variables,
/// as the silos': the cluster's ids (Silo:ClusterId, Silo:ServiceId) and mutual TLS (<see cref="ClusterTlsOptions"/>,
/// e.g. LEARNACT_Tls__Enabled, LEARNACT_Tls__CertificateFile, LEARNACT_Tls__CaFile).
/// </summary>
internal static class ClusterClient
{
    /// <summary>
    /// How long connecting may take in all: Redis, the membership table, a gateway (with TLS, a handshake). Connecting
    /// through TLS took 6-14 s on a 2-core machine at load average ~40 (it takes about a second unloaded); a refusal,
    /// an absent Redis or a closed port end the attempt at once instead, so this bounds only a silent gateway.
    /// </summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    public static Task<GatewayClient> ConnectAsync(string redis, CancellationToken cancellationToken) =>
        ConnectAsync(redis, new ConfigurationBuilder().AddEnvironmentVariables(EmbeddedSilo.EnvironmentPrefix).Build(), cancellationToken);

    /// <param name="redis">The cluster's Redis connection string.</param>
    /// <param name="settings">Where the cluster's ids and the TLS settings are read (the sections the silos read).</param>
    /// <param name="cancellationToken">Ctrl+C.</param>
    public static async Task<GatewayClient> ConnectAsync(string redis, IConfiguration settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var tls = settings.GetSection(ClusterTlsOptions.Section).Get<ClusterTlsOptions>() ?? new ClusterTlsOptions();
        ConfigurationOptions redisOptions;
        ClusterCertificates? certificates;
        try
        {
            redisOptions = RedisConnection.Options(redis, tls);
            certificates = tls.Enabled ? ClusterCertificates.Load(tls, asServer: false) : null;
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--cluster: {RedactPassword(redis)} is not a Redis connection string ({e.Message})", e);
        }
        catch (ClusterTlsException e)
        {
            throw new UsageException(e.Message, e);
        }

        redisOptions.AbortOnConnectFail = true;
        redisOptions.ConnectTimeout = 3000;
        redisOptions.ConnectRetry = 1;

        // The cluster's ids are the silos' (LEARNACT_Silo__ClusterId / ServiceId, default "learnact").
        var ids = settings.GetSection(SiloHostOptions.Section).Get<SiloHostOptions>() ?? new SiloHostOptions();
        try
        {
            return await GatewayClient.ConnectAsync(
                client =>
                {
                    client.UseRedisClustering(o => o.ConfigurationOptions = redisOptions)
                        .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (ids.ClusterId, ids.ServiceId));
                    if (certificates is not null)
                    {
                        client.UseClusterTls(certificates, tls.HandshakeTimeout);
                    }
                },
                ConnectTimeout,
                cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            var where = $"cannot reach the cluster at {RedactPassword(redis)} (cluster '{ids.ClusterId}')";
            if (Innermost(e) is RedisConnectionException)
            {
                throw new ClusterUnreachableException($"{where}: Redis does not answer there (or refuses the password or TLS settings of the connection string); is Redis running, and at least one silo? (deploy/local-cluster.sh start)", e);
            }

            // Redis answered, so the silos' gateways are listed: what failed is reaching one of them, which a
            // refused TLS handshake also ends in (the gateway closes the connection without an Orleans-level answer).
            var reason = e is OperationCanceledException ? $"no answer within {ConnectTimeout.TotalSeconds:0} s" : FirstLine(e);
            var hint = certificates is null
                ? $"is a silo running? If the cluster requires TLS, this client needs a certificate from the cluster's CA ({EmbeddedSilo.EnvironmentPrefix}Tls__Enabled=true, {EmbeddedSilo.EnvironmentPrefix}Tls__CertificateFile, {EmbeddedSilo.EnvironmentPrefix}Tls__CaFile)"
                : $"is a silo running, and was this client's certificate ({certificates.Local.Subject}, issued by {certificates.Local.Issuer}) issued by the cluster's CA, and is the silos' CA in {ClusterTlsOptions.Section}:{nameof(ClusterTlsOptions.CaFile)}?";
            throw new ClusterUnreachableException($"{where}: {reason}; {hint}", e);
        }
    }

    /// <summary>The innermost message that says something (Orleans wraps the Redis error).</summary>
    private static string FirstLine(Exception e)
    {
        var message = Innermost(e).Message.ReplaceLineEndings(" ");
        return message.Length > 300 ? message[..300] + "..." : message;
    }

    private static Exception Innermost(Exception e)
    {
        var inner = e;
        while (inner.InnerException is not null && inner is AggregateException or OrleansException)
        {
            inner = inner.InnerException;
        }

        return inner;
    }

    /// <summary>The connection string for a message: a Redis password never reaches the console or a log.</summary>
    internal static string RedactPassword(string redis) =>
        System.Text.RegularExpressions.Regex.Replace(redis, "(?i)(password=)[^,]*", "$1***");
}
