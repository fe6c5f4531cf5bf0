using LearnedActivation.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LearnedActivation.Client.Embedded;

/// <summary>
/// The embedded default: one Orleans silo inside the CLI process, localhost clustering and the
/// file-system blob store, so <c>learnact sweep</c> needs nothing installed. Logs go to a file in the
/// store (the console belongs to the live display).
/// </summary>
public sealed class EmbeddedSilo : IAsyncDisposable
{
    /// <summary>Environment variables with this prefix configure the silo, e.g. LEARNACT_Silo__GatewayPort.</summary>
    public const string EnvironmentPrefix = "LEARNACT_";

    private readonly IHost _host;

    private readonly StoreLock _lock;

    private EmbeddedSilo(IHost host, StoreLock storeLock)
    {
        _host = host;
        _lock = storeLock;
    }

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public IServiceProvider Services => _host.Services;

    /// <param name="storeRoot">Root of the blob store (grain state, checkpoints, artifacts).</param>
    /// <param name="slots">Concurrent trainings; null keeps the silo default (one per core).</param>
    /// <param name="train">False for a status-only silo: it takes no queued runs.</param>
    /// <param name="cancellationToken">Aborts start-up.</param>
    public static async Task<EmbeddedSilo> StartAsync(string storeRoot, int? slots, bool train, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(storeRoot);
        Directory.CreateDirectory(root);
        var storeLock = StoreLock.Acquire(root);
        try
        {
            var host = await BuildAndStartAsync(root, slots, train, cancellationToken);
            return new EmbeddedSilo(host, storeLock);
        }
        catch
        {
            storeLock.Dispose();
            throw;
        }
    }

    private static async Task<IHost> BuildAndStartAsync(string root, int? slots, bool train, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = root });
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Root"] = root,
            ["Training:AcceptsRuns"] = train ? "true" : "false",
        };
        if (slots is not null)
        {
            settings["Training:Slots"] = slots.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.Configuration.AddEnvironmentVariables(EnvironmentPrefix);

        // Embedded means alone with a local store, whatever cluster settings the environment holds for learnact-silo.
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Silo:Clustering"] = nameof(ClusteringMode.Localhost),
            ["Storage:Provider"] = nameof(LearnedActivation.Grains.Storage.BlobStoreProvider.FileSystem),
        });
        builder.AddLearnedActivationLogging(Path.Combine(root, "logs", "learnact.clef"), console: false);
        var ports = builder.Configuration.GetSection(SiloHostOptions.Section).Get<SiloHostOptions>() ?? new SiloHostOptions();
        PortCheck.EnsureFree(ports.SiloPort, EnvironmentPrefix + "Silo__SiloPort");
        PortCheck.EnsureFree(ports.GatewayPort, EnvironmentPrefix + "Silo__GatewayPort");
        builder.AddLearnedActivationSilo();
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        // A graceful stop: the training worker stops its runs, which keep their last checkpoint and stay
        // "running" in durable state, so the next start resumes them.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await _host.StopAsync(timeout.Token);
        }
        finally
        {
            _host.Dispose();
            _lock.Dispose();
        }
    }
}
