using System.Globalization;
using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Storage;
using LearnedActivation.Grains.Training;
using LearnedActivation.Silo.Dashboard;
using LearnedActivation.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LearnedActivation.Client.Embedded;

/// <summary>
/// The embedded default: one Orleans silo inside the CLI process, localhost clustering and the
/// file-system blob store, so <c>learnact sweep</c> needs nothing installed. Logs go to a file in the
/// store (the console belongs to the live display). Commands use it through <see cref="Grains"/> and
/// <see cref="LoadDataAsync"/>, never through the host's services.
/// </summary>
public sealed class EmbeddedSilo : IAsyncDisposable
{
    /// <summary>Environment variables with this prefix configure the silo, e.g. LEARNACT_Silo__GatewayPort.</summary>
    public const string EnvironmentPrefix = "LEARNACT_";

    private readonly IHost _host;

    private readonly StoreLock _lock;

    /// <summary>The store whose gateway note this silo wrote (a training silo), null for a status-only one.</summary>
    private readonly string? _noteIn;

    private EmbeddedSilo(IHost host, StoreLock storeLock, string? noteIn, DashboardSweeps sweeps)
    {
        _host = host;
        _lock = storeLock;
        _noteIn = noteIn;
        Grains = host.Services.GetRequiredService<IGrainFactory>();
        Sweeps = sweeps;
        DashboardUrl = DashboardHosting.UrlOf(host);
    }

    public IGrainFactory Grains { get; }

    /// <summary>Where this process serves the sweep dashboard; null when it is off.</summary>
    public Uri? DashboardUrl { get; }

    /// <summary>Sweeps the dashboard lists besides the active ones (add the one this process is about).</summary>
    public DashboardSweeps Sweeps { get; }

    /// <summary>
    /// The silo of <c>learnact sweep</c>: trains, listens on the configured ports (LEARNACT_Silo__SiloPort,
    /// LEARNACT_Silo__GatewayPort) and, while it runs, says in the store where its gateway is (<see cref="GatewayNote"/>).
    /// </summary>
    /// <param name="storeRoot">Root of the blob store (grain state, checkpoints, artifacts).</param>
    /// <param name="slots">Concurrent trainings; null keeps the silo default (one per core).</param>
    /// <param name="cancellationToken">Aborts start-up.</param>
    /// <param name="dashboard">Where to serve the sweep dashboard; null or port 0: nowhere.</param>
    public static Task<EmbeddedSilo> StartAsync(string storeRoot, int? slots, CancellationToken cancellationToken, DashboardOptions? dashboard = null) =>
        StartAsync(storeRoot, slots, train: true, dashboard, cancellationToken);

    /// <summary>
    /// A status-only silo on a store no process trains on (for <c>status</c>, <c>cancel</c>): it takes no
    /// runs and listens on free ports, so it never clashes with a sweep on another store.
    /// </summary>
    public static Task<EmbeddedSilo> StartReaderAsync(string storeRoot, CancellationToken cancellationToken, DashboardOptions? dashboard = null) =>
        StartAsync(storeRoot, slots: null, train: false, dashboard, cancellationToken);

    /// <summary>
    /// Loads and splits <paramref name="data"/> for every seed into the silo's cache, which its runs then share.
    /// Throws what loading throws (a bad file, an unreachable OpenML).
    /// </summary>
    public async Task LoadDataAsync(DataSpec data, IEnumerable<long> seeds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        var cache = _host.Services.GetRequiredService<SplitDataCache>();
        foreach (var seed in seeds)
        {
            await cache.GetAsync(data, seed, cancellationToken);
        }
    }

    private static async Task<EmbeddedSilo> StartAsync(string storeRoot, int? slots, bool train, DashboardOptions? dashboard, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(storeRoot);
        Directory.CreateDirectory(root);
        var storeLock = StoreLock.Acquire(root);
        try
        {
            if (!train)
            {
                // Holding the lock proves that no process trains on this store: a note is left over from a killed one.
                GatewayNote.RemoveFrom(root);
            }

            var sweeps = new DashboardSweeps();
            var (host, gateway) = await BuildAndStartAsync(root, slots, train, dashboard ?? new DashboardOptions { Port = 0 }, sweeps, cancellationToken);
            var silo = new EmbeddedSilo(host, storeLock, train ? root : null, sweeps);
            if (train)
            {
                try
                {
                    gateway.WriteTo(root);
                }
                catch
                {
                    await silo.DisposeAsync();
                    throw;
                }
            }

            return silo;
        }
        catch
        {
            storeLock.Dispose();
            throw;
        }
    }

    private static async Task<(IHost Host, GatewayNote Gateway)> BuildAndStartAsync(
        string root, int? slots, bool train, DashboardOptions dashboard, DashboardSweeps sweeps, CancellationToken cancellationToken)
    {
        var builder = DashboardHosting.CreateSiloBuilder(dashboard, [], root);
        builder.Services.AddSingleton<IHostLifetime, CallerOwnedLifetime>();
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Root"] = root,
            ["Training:AcceptsRuns"] = train ? "true" : "false",
        };
        if (slots is not null)
        {
            settings["Training:Slots"] = slots.Value.ToString(CultureInfo.InvariantCulture);
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.Configuration.AddEnvironmentVariables(EnvironmentPrefix);
        var configured = SiloOptions(builder.Configuration);

        // Embedded means alone with a local store, whatever cluster settings the environment holds for learnact-silo:
        // no TLS either (the silo listens on loopback only, and the store's gateway note is its only address).
        // A cluster id of its own lets a client that reads this store's gateway note tell this silo from any other.
        var alone = new Dictionary<string, string?>
        {
            ["Silo:Clustering"] = nameof(ClusteringMode.Localhost),
            ["Storage:Provider"] = nameof(BlobStoreProvider.FileSystem),
            ["Tls:Enabled"] = "false",
            [$"{SiloHostOptions.Section}:{nameof(SiloHostOptions.ClusterId)}"] = $"{configured.ClusterId}-{Guid.NewGuid().ToString("N")[..12]}",
        };
        if (!train)
        {
            var free = PortCheck.FreePorts(2);
            alone[$"{SiloHostOptions.Section}:{nameof(SiloHostOptions.SiloPort)}"] = free[0].ToString(CultureInfo.InvariantCulture);
            alone[$"{SiloHostOptions.Section}:{nameof(SiloHostOptions.GatewayPort)}"] = free[1].ToString(CultureInfo.InvariantCulture);
        }

        builder.Configuration.AddInMemoryCollection(alone);
        builder.AddLearnedActivationLogging(Path.Combine(root, StoreLayout.LogFile), console: false);
        var silo = SiloOptions(builder.Configuration);
        if (train)
        {
            PortCheck.EnsureFree(silo.SiloPort, EnvironmentPrefix + "Silo__SiloPort");
            PortCheck.EnsureFree(silo.GatewayPort, EnvironmentPrefix + "Silo__GatewayPort");
        }

        builder.AddLearnedActivationSilo(s => DashboardHosting.ConfigureSilo(s, dashboard));
        var host = DashboardHosting.Build(builder, sweeps);
        await host.StartAsync(cancellationToken);
        return (host, new GatewayNote(silo.GatewayPort, silo.ClusterId, silo.ServiceId, DashboardHosting.UrlOf(host)?.ToString()));
    }

    private static SiloHostOptions SiloOptions(IConfiguration configuration) =>
        configuration.GetSection(SiloHostOptions.Section).Get<SiloHostOptions>() ?? new SiloHostOptions();

    public async ValueTask DisposeAsync()
    {
        // The note goes first: from now on a status reads the store instead of reaching a silo that is stopping.
        if (_noteIn is not null)
        {
            GatewayNote.RemoveFrom(_noteIn);
        }

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
