namespace LearnedActivation.Client.Tests.Support;

/// <summary>
/// The TLS settings of a test cluster, as LEARNACT_ environment variables: every silo gets a PKCS#12 certificate
/// from the cluster's CA (password in the environment, as a secret would give it), a client a PEM certificate and
/// key; Redis gets a password.
/// </summary>
internal sealed class ClusterTls : IDisposable
{
    private const string SiloPassword = "silo-pfx-password";

    /// <summary>The default 10 s is short for a 2-core CI machine that also trains and runs other silos.</summary>
    private const string LoadedMachineHandshake = "00:00:30";
    private readonly TestCertificates _authority;

    public ClusterTls(string folder)
    {
        Folder = folder;
        _authority = new TestCertificates(folder, "learnact-test-ca");
        (ClientCertificate, ClientKey) = _authority.IssueClient("client");
    }

    public string Folder { get; }

    public string CaFile => _authority.CaFile;

    public string ClientCertificate { get; }

    public string ClientKey { get; }

    public string RedisPassword { get; } = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));

    /// <summary>A client that holds the cluster's certificate.</summary>
    public IReadOnlyDictionary<string, string> Client => ClientOf(ClientCertificate, ClientKey, CaFile);

    /// <summary>Silo <paramref name="index"/>'s settings (its certificate is issued on first use).</summary>
    public IReadOnlyDictionary<string, string> Silo(int index)
    {
        var file = Path.Combine(Folder, $"silo-{index}.pfx");
        if (!File.Exists(file))
        {
            _authority.IssueSilo($"silo-{index}", SiloPassword);
        }

        return new Dictionary<string, string>
        {
            ["LEARNACT_Tls__Enabled"] = "true",
            ["LEARNACT_Tls__CertificateFile"] = file,
            ["LEARNACT_Tls__CertificatePassword"] = SiloPassword,
            ["LEARNACT_Tls__CaFile"] = CaFile,
            ["LEARNACT_Tls__HandshakeTimeout"] = LoadedMachineHandshake,
        };
    }

    public static IReadOnlyDictionary<string, string> ClientOf(string certificate, string key, string caFile) => new Dictionary<string, string>
    {
        ["LEARNACT_Tls__Enabled"] = "true",
        ["LEARNACT_Tls__CertificateFile"] = certificate,
        ["LEARNACT_Tls__KeyFile"] = key,
        ["LEARNACT_Tls__CaFile"] = caFile,
        ["LEARNACT_Tls__HandshakeTimeout"] = LoadedMachineHandshake,
    };

    public void Dispose() => _authority.Dispose();
}
