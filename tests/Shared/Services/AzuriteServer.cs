using System.Globalization;

namespace LearnedActivation.Tests.Services;

/// <summary>
/// Azurite's blob service (npm azurite@3.35.0) on a free loopback port, data on disk in its own folder so
/// that a stop and start keeps the blobs. Found on PATH, under the usual npm prefixes, or at $LEARNACT_AZURITE.
/// </summary>
public sealed class AzuriteServer : LoopbackService
{
    public const string Install = "Azurite is needed for the blob-store and cluster tests but was not found (azurite-blob on PATH, /usr/local/bin, ~/.npm-global/bin, or $LEARNACT_AZURITE): install it with `npm install -g azurite@3.35.0`";

    /// <summary>Azurite's fixed development account (public, documented; not a secret).</summary>
    private const string DevAccount = "devstoreaccount1";
    private const string DevKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly string _executable;

    public AzuriteServer(int? port = null)
        : base("azurite", port)
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        _executable = Locate(
            Environment.GetEnvironmentVariable("LEARNACT_AZURITE"),
            ["azurite-blob", "/usr/local/bin/azurite-blob", "/usr/bin/azurite-blob", Path.Combine(home, ".npm-global", "bin", "azurite-blob")],
            Install);
    }

    public string ConnectionString => DevelopmentConnectionString(Port);

    /// <summary>The connection string of an Azurite on <paramref name="port"/> (for tests that open a store without contacting it).</summary>
    public static string DevelopmentConnectionString(int port) => string.Create(
        CultureInfo.InvariantCulture,
        $"DefaultEndpointsProtocol=http;AccountName={DevAccount};AccountKey={DevKey};BlobEndpoint=http://127.0.0.1:{port}/{DevAccount};");

    public static async Task<AzuriteServer> StartNewAsync()
    {
        var server = new AzuriteServer();
        await server.StartAsync();
        return server;
    }

    protected override (string File, IReadOnlyList<string> Args) Command() => (_executable,
    [
        "--blobHost", "127.0.0.1", "--blobPort", Port.ToString(CultureInfo.InvariantCulture),
        "--location", DataFolder, "--skipApiVersionCheck", "--disableTelemetry", "--silent",
    ]);
}
