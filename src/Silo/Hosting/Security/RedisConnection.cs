using StackExchange.Redis;

namespace LearnedActivation.Silo.Hosting.Security;

/// <summary>
/// The StackExchange.Redis options of a cluster's Redis, for silos and the CLI alike. The connection string carries
/// the password and TLS switches (<c>host:6380,password=...,ssl=true</c>); a Redis whose certificate a private CA
/// issued is trusted through <see cref="ClusterTlsOptions.RedisCaFile"/>.
/// </summary>
public static class RedisConnection
{
    /// <exception cref="ArgumentException">Not a Redis connection string.</exception>
    /// <exception cref="ClusterTlsException">The CA file does not exist.</exception>
    public static ConfigurationOptions Options(string connectionString, ClusterTlsOptions tls)
    {
        ArgumentNullException.ThrowIfNull(tls);
        var options = ConfigurationOptions.Parse(connectionString);
        if (!string.IsNullOrWhiteSpace(tls.RedisCaFile))
        {
            if (!File.Exists(tls.RedisCaFile))
            {
                throw new ClusterTlsException($"{ClusterTlsOptions.Section}:{nameof(ClusterTlsOptions.RedisCaFile)}: no file {tls.RedisCaFile}");
            }

            options.TrustIssuer(tls.RedisCaFile);
        }

        return options;
    }
}
