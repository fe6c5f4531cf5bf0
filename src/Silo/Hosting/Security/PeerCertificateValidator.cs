using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace LearnedActivation.Silo.Hosting.Security;

/// <summary>
/// Admits a TLS peer (a silo or a client) whose certificate chains to the cluster's CA, and nothing else: the
/// machine's trusted roots play no part (a certificate from a public CA is not a member), and host names are
/// not compared (silos come and go on addresses nobody knows in advance; the CA vouches for membership).
/// Revocation is not checked: the CA is the cluster's own, so a compromised certificate is dealt with by
/// replacing the CA (docs/architecture.md, threat model).
/// </summary>
public sealed class PeerCertificateValidator(X509Certificate2Collection authorities)
{
    public bool Validate(X509Certificate2 peer, X509Chain? presented, SslPolicyErrors errors)
    {
        ArgumentNullException.ThrowIfNull(peer);
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;

        // Intermediates the peer sent along (the first element is the peer's own certificate).
        foreach (var element in presented?.ChainElements.Skip(1) ?? [])
        {
            chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        }

        return chain.Build(peer);
    }
}
