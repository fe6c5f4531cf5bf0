using System.ComponentModel.DataAnnotations;
using System.Net;

namespace LearnedActivation.Silo.Dashboard;

/// <summary>The sweep dashboard's web endpoint (configuration section "Dashboard").</summary>
public sealed class DashboardOptions : IValidatableObject
{
    public const string Section = "Dashboard";

    /// <summary>The port used when none is given; when it is taken, a free port is used instead (and printed).</summary>
    public const int DefaultPort = 8265;

    /// <summary>Port to serve the dashboard on; 0 turns it off; null: <see cref="DefaultPort"/>, or a free port when that one is taken.</summary>
    [Range(0, 65535)]
    public int? Port { get; set; }

    /// <summary>
    /// Address to listen on: loopback by default. The dashboard has no authentication of its own and shows the
    /// cluster's runs and Orleans' internals: binding elsewhere is only safe behind the cluster's TLS/auth.
    /// </summary>
    public string Address { get; set; } = IPAddress.Loopback.ToString();

    /// <summary>Must be set to bind to an address other than loopback: an explicit choice, never a default.</summary>
    public bool AllowRemote { get; set; }

    public bool Enabled => Port != 0;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IPAddress.TryParse(Address, out var address))
        {
            yield return new ValidationResult($"Address: '{Address}' is not an IP address", [nameof(Address)]);
        }
        else if (!IPAddress.IsLoopback(address) && !AllowRemote)
        {
            yield return new ValidationResult(
                $"Address: {Address} is not loopback; the dashboard has no authentication of its own, so binding elsewhere needs AllowRemote=true (and the cluster's TLS/auth in front)",
                [nameof(Address)]);
        }
    }
}
