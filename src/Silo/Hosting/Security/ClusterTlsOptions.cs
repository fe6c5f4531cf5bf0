using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography.X509Certificates;

namespace LearnedActivation.Silo.Hosting.Security;

/// <summary>
/// Mutual TLS of a cluster (configuration section "Tls", e.g. LEARNACT_Tls__Enabled=true): every silo-to-silo
/// and client-to-gateway connection is TLS, and both ends must present a certificate issued by the cluster's
/// certificate authority (<see cref="CaFile"/>). Read by <c>learnact-silo</c> and by the CLI's cluster
/// client (<c>--cluster</c>); the embedded mode never uses it (one process on loopback).
/// The certificate comes from a file (<see cref="CertificateFile"/>: PKCS#12, or PEM with <see cref="KeyFile"/>)
/// or from the certificate store (<see cref="CertificateThumbprint"/>).
/// </summary>
public sealed class ClusterTlsOptions : IValidatableObject
{
    public const string Section = "Tls";

    /// <summary>Off by default: a cluster on one machine's loopback needs nothing; any other should turn it on.</summary>
    public bool Enabled { get; set; }

    /// <summary>This process's certificate: a .pfx/.p12 file (key included), or a PEM certificate (key in <see cref="KeyFile"/> or in the same file).</summary>
    public string? CertificateFile { get; set; }

    /// <summary>PEM private key of <see cref="CertificateFile"/>, when it is not in the certificate's file.</summary>
    public string? KeyFile { get; set; }

    /// <summary>Password of the PKCS#12 file or of an encrypted PEM key. Give it through the environment or a secret, never a checked-in file.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>Instead of a file: the SHA-1 thumbprint of a certificate (with its private key) in <see cref="StoreName"/>/<see cref="StoreLocation"/>.</summary>
    public string? CertificateThumbprint { get; set; }

    public StoreName StoreName { get; set; } = StoreName.My;

    public StoreLocation StoreLocation { get; set; } = StoreLocation.CurrentUser;

    /// <summary>
    /// PEM file with the certificate(s) of the cluster's CA: a peer is admitted only if its certificate chains to
    /// one of them (the machine's own trusted roots are not used). Any certificate that CA issued is a member.
    /// </summary>
    public string? CaFile { get; set; }

    /// <summary>
    /// PEM certificate of the CA that issued Redis's server certificate, when the Redis connection string asks for
    /// TLS (<c>ssl=true</c>) and that CA is not one the machine trusts. Used whether or not <see cref="Enabled"/> is set.
    /// </summary>
    public string? RedisCaFile { get; set; }

    /// <summary>How long a TLS handshake may take before the connection is dropped.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00", ErrorMessage = "must be between 00:00:01 and 00:05:00")]
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled)
        {
            yield break;
        }

        var fromFile = !string.IsNullOrWhiteSpace(CertificateFile);
        var fromStore = !string.IsNullOrWhiteSpace(CertificateThumbprint);
        if (fromFile == fromStore)
        {
            yield return new ValidationResult(
                $"{Section}:Enabled needs this process's certificate: set {Section}:{nameof(CertificateFile)} or {Section}:{nameof(CertificateThumbprint)} (one of them)",
                [nameof(CertificateFile)]);
        }

        if (string.IsNullOrWhiteSpace(CaFile))
        {
            yield return new ValidationResult($"{Section}:Enabled needs {Section}:{nameof(CaFile)}, the CA that issues the cluster's certificates", [nameof(CaFile)]);
        }
    }
}
