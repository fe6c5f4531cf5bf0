using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using LearnedActivation.Client.Tests.Support;
using LearnedActivation.Silo.Hosting.Security;

namespace LearnedActivation.Client.Tests.Cli;

/// <summary>
/// The rules of the cluster's TLS without a cluster: which peer certificates are admitted, and which settings a
/// process refuses at start (one line naming the setting).
/// </summary>
public sealed class ClusterCertificatesAreCheckedAtStart : IDisposable
{
    private readonly TempDirectory _folder = new();
    private readonly TestCertificates _cluster;
    private readonly TestCertificates _other;

    public ClusterCertificatesAreCheckedAtStart()
    {
        _cluster = new TestCertificates(_folder.Path, "cluster-ca");
        _other = new TestCertificates(_folder.Path, "other-ca");
    }

    public void Dispose()
    {
        _cluster.Dispose();
        _other.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public void APeerIsAdmittedOnlyWithACertificateOfTheClustersCa()
    {
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(_cluster.CaFile);
        var validator = new PeerCertificateValidator(authorities);
        using var member = _cluster.Issue("member", server: false);
        using var stranger = _other.Issue("member", server: false);

        // The TLS layer's own verdict (untrusted root, no host name) is not what decides.
        Assert.True(validator.Validate(member, null, SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch));
        Assert.False(validator.Validate(stranger, null, SslPolicyErrors.None));
        Assert.False(validator.Validate(member, null, SslPolicyErrors.RemoteCertificateNotAvailable));
    }

    [Fact]
    public void ASiloAndAClientLoadTheirCertificates()
    {
        var silo = Load(_cluster.IssueSilo("silo", "secret"), key: null, password: "secret", asServer: true);
        var (certificate, key) = _cluster.IssueClient("client");
        var client = Load(certificate, key, password: null, asServer: false);

        Assert.Equal("CN=silo", silo.Local.Subject);
        Assert.True(silo.Local.HasPrivateKey);
        Assert.Equal("CN=client", client.Local.Subject);
        Assert.Equal("CN=cluster-ca", Assert.Single(client.Authorities).Subject);
    }

    [Fact]
    public void AWrongPasswordNamesTheCertificateFile()
    {
        var file = _cluster.IssueSilo("silo", "secret");

        var e = Assert.Throws<ClusterTlsException>(() => Load(file, key: null, password: "wrong", asServer: true));

        Assert.StartsWith($"Tls:CertificateFile: cannot load a certificate with its key from {file}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AClientCertificateCannotServeAsASilos()
    {
        var (certificate, key) = _cluster.IssueClient("client");

        var e = Assert.Throws<ClusterTlsException>(() => Load(certificate, key, password: null, asServer: true));

        Assert.Contains("does not allow server authentication", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnabledWithoutACaIsRefused()
    {
        var (certificate, key) = _cluster.IssueClient("client");
        var options = new ClusterTlsOptions { Enabled = true, CertificateFile = certificate, KeyFile = key };

        var e = Assert.Throws<ClusterTlsException>(() => ClusterCertificates.Load(options, asServer: false));

        Assert.Equal("Tls:Enabled needs Tls:CaFile, the CA that issues the cluster's certificates", e.Message);
    }

    private ClusterCertificates Load(string certificate, string? key, string? password, bool asServer) =>
        ClusterCertificates.Load(new ClusterTlsOptions { Enabled = true, CertificateFile = certificate, KeyFile = key, CertificatePassword = password, CaFile = _cluster.CaFile }, asServer);
}
