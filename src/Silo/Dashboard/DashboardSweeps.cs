using System.Collections.Concurrent;

namespace LearnedActivation.Silo.Dashboard;

/// <summary>
/// Sweeps the dashboard lists besides the board's active ones: the sweep this process runs, or the one
/// <c>learnact dashboard SWEEP</c> names (a finished sweep has left the board but is still worth showing).
/// </summary>
public sealed class DashboardSweeps
{
    private readonly ConcurrentDictionary<string, byte> _ids = new(StringComparer.Ordinal);

    public void Add(string sweepId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sweepId);
        _ids.TryAdd(sweepId, 0);
    }

    public IReadOnlyList<string> Ids => [.. _ids.Keys.Order(StringComparer.Ordinal)];
}
