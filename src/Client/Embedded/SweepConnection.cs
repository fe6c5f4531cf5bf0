using LearnedActivation.Client.Cli;
using LearnedActivation.Client.Cluster;
using LearnedActivation.Client.Commands;
using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Storage;
using LearnedActivation.Grains.Sweeps;

namespace LearnedActivation.Client.Embedded;

/// <summary>
/// Reaches a sweep for a read or a control command. On a cluster (<c>--cluster</c>) as its client. On an
/// embedded store, the store decides: while <c>learnact sweep</c> trains on it, its silo owns the store and
/// the command connects to the gateway that the store's <see cref="GatewayNote"/> names; when no process
/// trains there, it hosts a status-only silo on the store (no training). What listens on a default port
/// never answers for a store it does not serve.
/// </summary>
internal sealed class SweepConnection : IAsyncDisposable
{
    /// <summary>
    /// How long reaching the gateway a store's note names may take before the store is read instead. A note
    /// means a process trains on the store, so this is worth waiting for on a machine busy training; a note
    /// left by a process that is gone costs nothing (the connection is refused at once).
    /// </summary>
    private static readonly TimeSpan GatewayTimeout = TimeSpan.FromSeconds(15);

    private readonly IAsyncDisposable _owner;

    private SweepConnection(IGrainFactory grains, IAsyncDisposable owner, bool live)
    {
        Grains = grains;
        _owner = owner;
        IsLive = live;
    }

    public IGrainFactory Grains { get; }

    /// <summary>True when connected to a running sweep process, false when reading the store directly.</summary>
    public bool IsLive { get; }

    /// <summary>True when connected to a cluster through its Redis membership (not an embedded sweep's gateway).</summary>
    public bool IsCluster { get; private init; }

    /// <summary>The running sweep process or cluster that answers for the store (or cluster) the user named; else the store read by a status-only silo.</summary>
    public static async Task<SweepConnection> OpenAsync(StoreSettings settings, string sweepId, CancellationToken cancellationToken)
    {
        if (await OpenRunningAsync(settings, cancellationToken) is { } running)
        {
            return running;
        }

        var store = settings.OpenStore("reading the store");
        var root = Path.GetFullPath(settings.StoreRoot);
        if (!await store.ExistsAsync(StoreLayout.SweepState(sweepId), cancellationToken))
        {
            throw new UsageException($"no sweep '{sweepId}' in store {root} (and no sweep process is running on it)");
        }

        var reader = await EmbeddedSilo.StartReaderAsync(root, cancellationToken);
        return new SweepConnection(reader.Grains, reader, live: false);
    }

    /// <summary>
    /// Only a live connection: the cluster (<c>--cluster</c>) or the process whose gateway note the store holds;
    /// null when nothing trains there (for commands that need somewhere to train, which a status-only silo is not).
    /// </summary>
    public static async Task<SweepConnection?> OpenRunningAsync(StoreSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.ClusterRedis is { } redis)
        {
            var client = await ClusterClient.ConnectAsync(redis, cancellationToken);
            return new SweepConnection(client.Grains, client, live: true) { IsCluster = true };
        }

        return RunningNote(settings) is { } note && await TryConnectAsync(note, cancellationToken) is { } running
            ? new SweepConnection(running.Grains, running, live: true)
            : null;
    }

    /// <summary>The note of the process training on the (file-system) store <paramref name="settings"/> name; null when none is there.</summary>
    public static GatewayNote? RunningNote(StoreSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.OpenStore("reading the store");
        return GatewayNote.ReadFrom(Path.GetFullPath(settings.StoreRoot));
    }

    /// <summary>
    /// The status of a sweep that no process runs, read from the store without starting a silo (see
    /// <see cref="SweepStoreView"/>): what a status-only silo would answer, in a fraction of its start-up time.
    /// Under the store's lock, as that silo would be, so a process starting to train there is not raced.
    /// </summary>
    public static async Task<SweepStatus> ReadStoredStatusAsync(StoreSettings settings, string sweepId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var store = settings.OpenStore("reading the store");
        var root = Path.GetFullPath(settings.StoreRoot);
        var missing = new UsageException($"no sweep '{sweepId}' in store {root} (and no sweep process is running on it)");
        if (!await store.ExistsAsync(StoreLayout.SweepState(sweepId), cancellationToken))
        {
            throw missing;
        }

        using var storeLock = StoreLock.Acquire(root);

        // Holding the lock proves that no process trains on this store: a note is left over from a killed one.
        GatewayNote.RemoveFrom(root);
        var status = await SweepStoreView.ReadStatusAsync(store, sweepId, DateTimeOffset.UtcNow, cancellationToken);
        return status is null || status.Phase == SweepPhase.Unknown ? throw missing : status;
    }

    public async Task<SweepStatus> StatusAsync(string sweepId)
    {
        var status = await Grains.GetGrain<ISweepGrain>(sweepId).GetStatusAsync();
        return status.Phase == SweepPhase.Unknown
            ? throw new UsageException($"no sweep '{sweepId}' is known to the {(IsLive ? "running cluster" : "store")}")
            : status;
    }

    public ValueTask DisposeAsync() => _owner.DisposeAsync();

    private static async Task<GatewayClient?> TryConnectAsync(GatewayNote note, CancellationToken cancellationToken)
    {
        try
        {
            return await GatewayClient.ConnectAsync(
                client => client.UseLocalhostClustering(note.GatewayPort, serviceId: note.ServiceId, clusterId: note.ClusterId),
                GatewayTimeout,
                cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The process that wrote the note is gone (or another silo took its port and refuses our cluster id): read the store.
            return null;
        }
    }
}
