using System.Net.Http.Json;
using LearnedActivation.Client.Commands;
using LearnedActivation.Grains.Contracts;

namespace LearnedActivation.Client.Embedded;

/// <summary>
/// Where <c>learnact status</c> reads a sweep's status from, once or again and again (<c>--watch</c>): the running
/// process's dashboard over HTTP when its gateway note names one (tenths of a second, where connecting an Orleans
/// client takes about one), else its gateway or the cluster, else the store as it lies (nothing runs there).
/// </summary>
internal sealed class StatusReader : IAsyncDisposable
{
    /// <summary>A dashboard that does not answer within this is taken to be busy or gone: the gateway is asked instead.</summary>
    private static readonly TimeSpan DashboardTimeout = TimeSpan.FromSeconds(5);

    private const string StoreSource = "store";

    private readonly Func<Task<SweepStatus?>> _next;
    private readonly IAsyncDisposable? _owner;

    private StatusReader(SweepStatus first, string source, Func<Task<SweepStatus?>> next, IAsyncDisposable? owner)
    {
        First = first;
        Source = source;
        _next = next;
        _owner = owner;
    }

    /// <summary>The status as read when the reader was opened.</summary>
    public SweepStatus First { get; }

    /// <summary>What answered: <c>dashboard</c> or <c>gateway</c> of the process training on the store, <c>cluster</c>, or <c>store</c> (read as it lies).</summary>
    public string Source { get; }

    /// <summary>True when a running process or cluster answers; false when the store was read (nothing will change).</summary>
    public bool IsLive => Source != StoreSource;

    public static async Task<StatusReader> OpenAsync(StoreSettings settings, string sweepId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.ClusterRedis is null && SweepConnection.RunningNote(settings) is { DashboardUrl: { } url } note)
        {
            var http = new HttpClient { BaseAddress = new Uri(url), Timeout = DashboardTimeout };
            if (await TryReadAsync(http, note, sweepId, cancellationToken) is { } first)
            {
                return new StatusReader(first, "dashboard", () => TryReadAsync(http, note, sweepId, cancellationToken), new DisposableClient(http));
            }

            http.Dispose();
        }

        var connection = await SweepConnection.OpenRunningAsync(settings, cancellationToken);
        if (connection is null)
        {
            var stored = await SweepConnection.ReadStoredStatusAsync(settings, sweepId, cancellationToken);
            return new StatusReader(stored, StoreSource, () => Task.FromResult<SweepStatus?>(null), owner: null);
        }

        try
        {
            var first = await connection.StatusAsync(sweepId);
            return new StatusReader(first, connection.IsCluster ? "cluster" : "gateway", async () => await connection.StatusAsync(sweepId), connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>The status now; null when there is nothing newer to read (the store was read, or the process went away).</summary>
    public Task<SweepStatus?> NextAsync() => IsLive ? _next() : Task.FromResult<SweepStatus?>(null);

    public ValueTask DisposeAsync() => _owner?.DisposeAsync() ?? ValueTask.CompletedTask;

    /// <summary>
    /// The status from the dashboard the note names, or null when it does not answer as the note's process:
    /// gone, busy past the timeout, another process on that port (another cluster id), or no such sweep there.
    /// </summary>
    private static async Task<SweepStatus?> TryReadAsync(HttpClient http, GatewayNote note, string sweepId, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(SweepStatusJson.Route(sweepId), cancellationToken);
            if (!response.IsSuccessStatusCode
                || !response.Headers.TryGetValues(SweepStatusJson.ClusterHeader, out var clusters)
                || !clusters.Contains(note.ClusterId, StringComparer.Ordinal))
            {
                return null;
            }

            return await response.Content.ReadFromJsonAsync<SweepStatus>(SweepStatusJson.Options, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private sealed class DisposableClient(HttpClient http) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            http.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
