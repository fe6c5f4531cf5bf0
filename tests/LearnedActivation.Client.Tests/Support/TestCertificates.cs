using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace LearnedActivation.Client.Tests.Support;

/// <summary>
/// A throwaway certificate authority for a test, made in process (no openssl): it issues silo certificates
/// (server and client authentication, written as a password-protected PKCS#12 file) and client certificates
/// (client authentication, written as PEM certificate + key), as deploy/local-cluster.sh does with openssl.
/// </summary>
internal sealed class TestCertificates : IDisposable
{
    private readonly X509Certificate2 _authority;
    private readonly string _folder;

    public TestCertificates(string folder, string name)
    {
        _folder = folder;
        Directory.CreateDirectory(folder);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        _authority = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(2));
        CaFile = Path.Combine(folder, $"{name}.crt");
        File.WriteAllText(CaFile, _authority.ExportCertificatePem());
    }

    /// <summary>The CA's certificate, PEM (what Tls:CaFile names).</summary>
    public string CaFile { get; }

    /// <summary>A silo's certificate and key as a PKCS#12 file protected by <paramref name="password"/>.</summary>
    public string IssueSilo(string name, string password)
    {
        using var certificate = Issue(name, server: true);
        var file = Path.Combine(_folder, $"{name}.pfx");
        File.WriteAllBytes(file, certificate.Export(X509ContentType.Pkcs12, password));
        return file;
    }

    /// <summary>A client's certificate and key as two PEM files.</summary>
    public (string Certificate, string Key) IssueClient(string name)
    {
        using var certificate = Issue(name, server: false);
        var (certificateFile, keyFile) = (Path.Combine(_folder, $"{name}.crt"), Path.Combine(_folder, $"{name}.key"));
        File.WriteAllText(certificateFile, certificate.ExportCertificatePem());
        using var key = certificate.GetECDsaPrivateKey()!;
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        return (certificateFile, keyFile);
    }

    public void Dispose() => _authority.Dispose();

    /// <summary>A certificate this CA issued, with its key: server and client authentication, or client only.</summary>
    public X509Certificate2 Issue(string name, bool server)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        var uses = new OidCollection { new Oid("1.3.6.1.5.5.7.3.2") };
        if (server)
        {
            uses.Add(new Oid("1.3.6.1.5.5.7.3.1"));
        }

        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(uses, critical: false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var serial = RandomNumberGenerator.GetBytes(16);
        using var issued = request.Create(_authority, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1), serial);
        return issued.CopyWithPrivateKey(key);
    }
}
