using System.Globalization;

namespace LearnedActivation.Tests.Services;

/// <summary>Debian's redis-server on a free loopback port, nothing persisted. Found on PATH, /usr/bin, or at $LEARNACT_REDIS_SERVER.</summary>
public sealed class RedisServer : LoopbackService
{
    public const string Install = "redis-server is needed for the cluster tests but was not found (PATH, /usr/bin, or $LEARNACT_REDIS_SERVER): install it with `apt-get install redis-server`";

    private readonly string _executable;
    private readonly string? _password;

    /// <param name="port">The port; null for a free one.</param>
    /// <param name="password">A password clients must give (requirepass); null for none.</param>
    public RedisServer(int? port = null, string? password = null)
        : base("redis", port)
    {
        _executable = Locate(Environment.GetEnvironmentVariable("LEARNACT_REDIS_SERVER"), ["redis-server", "/usr/bin/redis-server", "/usr/sbin/redis-server"], Install);
        _password = password;
    }

    public string ConnectionString => _password is null
        ? string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port}")
        : string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port},password={_password}");

    public static async Task<RedisServer> StartNewAsync()
    {
        var server = new RedisServer();
        await server.StartAsync();
        return server;
    }

    protected override (string File, IReadOnlyList<string> Args) Command() => (_executable,
    [
        "--bind", "127.0.0.1", "--port", Port.ToString(CultureInfo.InvariantCulture), "--save", string.Empty,
        "--appendonly", "no", "--dir", DataFolder, "--daemonize", "no", "--protected-mode", "yes",
        .. _password is null ? Array.Empty<string>() : ["--requirepass", _password],
    ]);
}
