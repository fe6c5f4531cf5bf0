using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace LearnedActivation.Silo.Hosting.Security;

/// <summary>
/// The certificates <see cref="ClusterTlsOptions"/> name, loaded once when a host is built: this process's own
/// (with its private key) and the cluster CA's. Every problem is one <see cref="ClusterTlsException"/> naming the
/// setting and the file, so a silo fails at start and a CLI command ends with one line, never at the first connection.
/// </summary>
public sealed class ClusterCertificates
{
    private const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";

    private ClusterCertificates(X509Certificate2 local, X509Certificate2Collection authorities)
    {
        Local = local;
        Authorities = authorities;
    }

    public X509Certificate2 Local { get; }

    public X509Certificate2Collection Authorities { get; }

    /// <param name="options">Checked here (the rules of <see cref="ClusterTlsOptions"/>).</param>
    /// <param name="asServer">A silo: its certificate also serves TLS (needs the server-authentication use, if it lists uses).</param>
    /// <exception cref="ClusterTlsException">A missing setting or file, a file that holds no certificate or no key, a certificate out of its validity period.</exception>
    public static ClusterCertificates Load(ClusterTlsOptions options, bool asServer)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), problems, validateAllProperties: true))
        {
            throw new ClusterTlsException(problems[0].ErrorMessage ?? "invalid TLS settings");
        }

        var local = string.IsNullOrWhiteSpace(options.CertificateThumbprint) ? FromFile(options) : FromStore(options);
        if (!local.HasPrivateKey)
        {
            throw new ClusterTlsException($"{Setting(nameof(ClusterTlsOptions.CertificateFile))}: the certificate {local.Subject} comes without its private key");
        }

        var now = DateTime.Now;
        if (now < local.NotBefore || now > local.NotAfter)
        {
            throw new ClusterTlsException($"this process's certificate {local.Subject} is valid from {local.NotBefore:u} to {local.NotAfter:u} only");
        }

        // Both ends of a silo-to-silo connection present their certificate; the TLS layer refuses one without the right use.
        RequireUse(local, ClientAuthentication, "client authentication");
        if (asServer)
        {
            RequireUse(local, ServerAuthentication, "server authentication");
        }

        return new ClusterCertificates(local, ReadAuthorities(options.CaFile!));
    }

    private static X509Certificate2 FromFile(ClusterTlsOptions options)
    {
        var file = options.CertificateFile!;
        var setting = Setting(nameof(ClusterTlsOptions.CertificateFile));
        RequireFile(file, setting);
        try
        {
            var extension = Path.GetExtension(file).ToUpperInvariant();
            if (extension is ".PFX" or ".P12")
            {
                return X509CertificateLoader.LoadPkcs12FromFile(file, options.CertificatePassword, X509KeyStorageFlags.EphemeralKeySet);
            }

            var key = string.IsNullOrWhiteSpace(options.KeyFile) ? null : options.KeyFile;
            if (key is not null)
            {
                RequireFile(key, Setting(nameof(ClusterTlsOptions.KeyFile)));
            }

            using var pem = string.IsNullOrEmpty(options.CertificatePassword)
                ? X509Certificate2.CreateFromPemFile(file, key)
                : X509Certificate2.CreateFromEncryptedPemFile(file, options.CertificatePassword, key);

            // A PEM key is ephemeral; round-tripping through PKCS#12 gives SslStream a key it can use on every platform.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), password: null);
        }
        catch (CryptographicException e)
        {
            throw new ClusterTlsException($"{setting}: cannot load a certificate with its key from {file} ({FirstLine(e)})", e);
        }
    }

    private static X509Certificate2 FromStore(ClusterTlsOptions options)
    {
        using var store = new X509Store(options.StoreName, options.StoreLocation);
        try
        {
            store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
        }
        catch (CryptographicException e)
        {
            throw new ClusterTlsException($"{Setting(nameof(ClusterTlsOptions.CertificateThumbprint))}: cannot open the certificate store {options.StoreLocation}/{options.StoreName} ({FirstLine(e)})", e);
        }

        var found = store.Certificates.Find(X509FindType.FindByThumbprint, options.CertificateThumbprint!.Trim(), validOnly: false);
        return found.Count > 0
            ? found[0]
            : throw new ClusterTlsException($"{Setting(nameof(ClusterTlsOptions.CertificateThumbprint))}: no certificate {options.CertificateThumbprint} in {options.StoreLocation}/{options.StoreName}");
    }

    private static X509Certificate2Collection ReadAuthorities(string file)
    {
        var setting = Setting(nameof(ClusterTlsOptions.CaFile));
        RequireFile(file, setting);
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(file);
        }
        catch (CryptographicException e)
        {
            throw new ClusterTlsException($"{setting}: {file} is not a PEM certificate file ({FirstLine(e)})", e);
        }

        return authorities.Count > 0 ? authorities : throw new ClusterTlsException($"{setting}: {file} holds no PEM certificate");
    }

    private static void RequireUse(X509Certificate2 certificate, string oid, string use)
    {
        var uses = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().SelectMany(e => e.EnhancedKeyUsages.Cast<Oid>()).ToList();
        if (uses.Count > 0 && !uses.Any(u => u.Value == oid))
        {
            throw new ClusterTlsException($"this process's certificate {certificate.Subject} does not allow {use} (extended key usage); a silo's needs server and client authentication, a client's client authentication");
        }
    }

    private static void RequireFile(string file, string setting)
    {
        if (!File.Exists(file))
        {
            throw new ClusterTlsException($"{setting}: no file {file}");
        }
    }

    private static string Setting(string property) => $"{ClusterTlsOptions.Section}:{property}";

    private static string FirstLine(Exception e) => e.Message.ReplaceLineEndings(" ").Trim();
}

/// <summary>A TLS setting that cannot work; the message is one line that names it.</summary>
public sealed class ClusterTlsException : Exception
{
    public ClusterTlsException(string message)
        : base(message)
    {
    }

    public ClusterTlsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ClusterTlsException()
    {
    }
}
