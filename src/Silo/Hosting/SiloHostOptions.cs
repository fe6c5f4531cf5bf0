using System.ComponentModel.DataAnnotations;
using System.Net;

namespace LearnedActivation.Silo.Hosting;

/// <summary>How silos find each other and keep reminders.</summary>
public enum ClusteringMode
{
    /// <summary>One silo on this machine (the embedded default), reminders in memory.</summary>
    Localhost,

    /// <summary>Membership and reminders in Redis: any number of silos on any machines that reach it.</summary>
    Redis,
}

/// <summary>The silo's identity, ports and cluster membership (configuration section "Silo").</summary>
public sealed class SiloHostOptions : IValidatableObject
{
    public const string Section = "Silo";

    [Required(AllowEmptyStrings = false)]
    public string ClusterId { get; set; } = "learnact";

    [Required(AllowEmptyStrings = false)]
    public string ServiceId { get; set; } = "learnact";

    /// <summary>Silo-to-silo port.</summary>
    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    /// <summary>Client gateway port (a `learnact` client, e.g. `status`, connects here).</summary>
    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    public ClusteringMode Clustering { get; set; } = ClusteringMode.Localhost;

    /// <summary>Redis: the StackExchange.Redis connection string ("host:port[,options]") for membership and reminders.</summary>
    public string? RedisConnectionString { get; set; }

    /// <summary>
    /// Redis: the IP address other silos and clients reach this one at (e.g. 127.0.0.1 for a cluster on one
    /// machine, the pod IP in Kubernetes). Empty: Orleans picks this machine's first non-loopback address.
    /// </summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>Redis: let Microsoft.Orleans.Hosting.Kubernetes take the pod's IP, name and cluster labels (and remove pods of dead silos).</summary>
    public bool Kubernetes { get; set; }

    /// <summary>Name of this silo in logs and in a run's "host silo"; empty: Orleans' default (from the machine and port).</summary>
    public string? Name { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Clustering == ClusteringMode.Redis && string.IsNullOrWhiteSpace(RedisConnectionString))
        {
            yield return new ValidationResult("Silo:RedisConnectionString is required when Silo:Clustering is Redis", [nameof(RedisConnectionString)]);
        }

        if (!string.IsNullOrWhiteSpace(AdvertisedAddress) && !IPAddress.TryParse(AdvertisedAddress, out _))
        {
            yield return new ValidationResult($"Silo:AdvertisedAddress '{AdvertisedAddress}' is not an IP address", [nameof(AdvertisedAddress)]);
        }

        if (Kubernetes && Clustering != ClusteringMode.Redis)
        {
            yield return new ValidationResult("Silo:Kubernetes needs Silo:Clustering Redis (a real clustering provider)", [nameof(Kubernetes)]);
        }
    }
}
