using System.Collections.Concurrent;
using System.Diagnostics;
using LearnedActivation.Grains.Contracts;

namespace LearnedActivation.Benchmarks.Coordination;

/// <summary>
/// Times the calls a silo's sweep grain executes, by method: how long the grain was busy with each. The sweep
/// grain is not reentrant: apart from its status and curve queries (<c>AlwaysInterleave</c>, counted apart) it
/// executes one call at a time, so the sum of those calls' durations over the wall time is the share of its
/// capacity a sweep used; near 100 % the grain is the bottleneck.
/// </summary>
internal sealed class SweepGrainCallTimer : IIncomingGrainCallFilter
{
    private static readonly HashSet<string> Interleaved = [nameof(ISweepGrain.GetStatusAsync), nameof(ISweepGrain.GetCurvesAsync)];
    private readonly ConcurrentDictionary<string, (long Calls, double Seconds)> _byMethod = new(StringComparer.Ordinal);

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.InterfaceMethod?.DeclaringType != typeof(ISweepGrain))
        {
            await context.Invoke();
            return;
        }

        var start = Stopwatch.GetTimestamp();
        try
        {
            await context.Invoke();
        }
        finally
        {
            var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            _byMethod.AddOrUpdate(context.MethodName, (1, seconds), (_, total) => (total.Calls + 1, total.Seconds + seconds));
        }
    }

    /// <summary>Calls and seconds so far, by method; <see cref="SweepGrainLoad.Busy"/> leaves the interleaved queries out.</summary>
    public SweepGrainLoad Snapshot() => new(_byMethod.ToDictionary(m => m.Key, m => new MethodLoad(m.Value.Calls, m.Value.Seconds), StringComparer.Ordinal));

    public static bool IsInterleaved(string method) => Interleaved.Contains(method);
}

/// <summary>One method's calls and the seconds they took in all.</summary>
internal sealed record MethodLoad(long Calls, double Seconds);

/// <summary>What a silo's sweep grain executed, by method.</summary>
internal sealed record SweepGrainLoad(Dictionary<string, MethodLoad> ByMethod)
{
    /// <summary>Seconds the grain spent on calls that hold it (everything but status and curve queries).</summary>
    public double Busy => ByMethod.Where(m => !SweepGrainCallTimer.IsInterleaved(m.Key)).Sum(m => m.Value.Seconds);

    /// <summary>
    /// Seconds the grain spent on the calls that hand out and take back runs (claims, reports, ends: everything but
    /// its start, which queues every run once, and the queries).
    /// </summary>
    public double BusyServing => Busy - (ByMethod.TryGetValue(nameof(ISweepGrain.StartAsync), out var start) ? start.Seconds : 0);

    public static SweepGrainLoad Sum(IEnumerable<SweepGrainLoad> loads) => new(loads
        .SelectMany(l => l.ByMethod)
        .GroupBy(m => m.Key, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => new MethodLoad(g.Sum(m => m.Value.Calls), g.Sum(m => m.Value.Seconds)), StringComparer.Ordinal));
}
