using System.Security.Authentication;
using Orleans.Connections.Security;
using Orleans.Hosting;

namespace LearnedActivation.Silo.Hosting.Security;

/// <summary>
/// Mutual TLS on a silo (silo-to-silo both ways, and its gateway) and on a cluster client, with the same rules on
/// both: each end presents its certificate and admits the other's only if the cluster's CA issued it
/// (<see cref="PeerCertificateValidator"/>). Orleans' <c>UseTls</c> (Microsoft.Orleans.Connections.Security) does the TLS.
/// </summary>
public static class ClusterTlsExtensions
{
    public static ISiloBuilder UseClusterTls(this ISiloBuilder silo, ClusterCertificates certificates, TimeSpan handshakeTimeout)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        return silo.UseTls(certificates.Local, options => Configure(options, certificates, handshakeTimeout));
    }

    public static IClientBuilder UseClusterTls(this IClientBuilder client, ClusterCertificates certificates, TimeSpan handshakeTimeout)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        return client.UseTls(certificates.Local, options => Configure(options, certificates, handshakeTimeout));
    }

    private static void Configure(TlsOptions options, ClusterCertificates certificates, TimeSpan handshakeTimeout)
    {
        // Inbound: the peer must present a certificate. Outbound: present ours (Orleans' default sends none).
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.RemoteCertificateValidation = new PeerCertificateValidator(certificates.Authorities).Validate;
        options.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
        options.HandshakeTimeout = handshakeTimeout;
    }
}
