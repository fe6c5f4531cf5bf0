using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Dashboard;
using Orleans.Runtime;

namespace LearnedActivation.Silo.Dashboard;

/// <summary>
/// The dashboard's data, read through the grains every caller uses (the sweep's status and curves, the board,
/// Orleans membership, the silo directory): the same answers <c>learnact status</c> gets, wherever the page is served.
/// </summary>
public sealed class SweepDashboardData(IGrainFactory grains, DashboardSweeps known, TimeProvider time, CheckpointActivations? activations = null)
{
    public async Task<IReadOnlyList<SweepSummaryView>> ListAsync()
    {
        var active = await grains.GetGrain<ISweepBoardGrain>(ISweepBoardGrain.Key).GetActiveAsync();
        var ids = known.Ids.Concat(active).Distinct(StringComparer.Ordinal).ToList();
        var list = new List<SweepSummaryView>();
        foreach (var id in ids)
        {
            var status = await grains.GetGrain<ISweepGrain>(id).GetStatusAsync();
            if (status.Phase != SweepPhase.Unknown)
            {
                list.Add(Summary(status));
            }
        }

        return list;
    }

    /// <summary>The sweep's runs, curves, current activations and silos; null when no sweep has this id.</summary>
    public async Task<SweepView?> GetAsync(string sweepId, CancellationToken cancellationToken)
    {
        var sweep = grains.GetGrain<ISweepGrain>(sweepId);
        var status = await sweep.GetStatusAsync();
        if (status.Phase == SweepPhase.Unknown)
        {
            return null;
        }

        var curves = await sweep.GetCurvesAsync();
        var models = status.Spec?.Runs().ToDictionary(r => r.ConfigName, r => r.Model, StringComparer.Ordinal) ?? [];
        var now = time.GetUtcNow();
        var runs = new List<RunView>();
        foreach (var run in status.Runs)
        {
            var curve = curves.TryGetValue(run.ConfigName, out var epochs)
                ? epochs.Select(e => new CurvePoint(e.Epoch, e.TrainLoss, e.ValLoss, e.ValAccuracy)).ToList()
                : [];
            var activation = activations is not null && models.TryGetValue(run.ConfigName, out var model)
                ? await activations.GetAsync($"{sweepId}/{run.ConfigName}", run.LastCheckpointKey, model, cancellationToken)
                : null;
            runs.Add(new RunView(
                run.ConfigName,
                PhaseOf(run),
                run.Epoch,
                run.TotalEpochs,
                run.Latest?.ValAccuracy,
                run.BestValAccuracy,
                run.Test?.Accuracy,
                run.HostSilo,
                run.LastCheckpointAt is { } at ? Math.Max(0, (now - at).TotalSeconds) : null,
                run.Error,
                curve,
                activation));
        }

        return new SweepView(
            status.SweepId,
            Name(status.Phase),
            status.StartedAt,
            status.FinishedAt,
            status.AssemblyError,
            status.Storage?.Error,
            Summary(status),
            runs,
            await SilosAsync(status.Runs),
            now);
    }

    /// <summary>Live silos (membership), their declared slots, and the sweep's non-terminal runs on each.</summary>
    private async Task<IReadOnlyList<SiloView>> SilosAsync(IReadOnlyList<RunStatus> runs)
    {
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: true);
        var slots = (await grains.GetGrain<ISiloDirectoryGrain>(ISiloDirectoryGrain.Key).GetAsync()).ToDictionary(s => s.Address);
        return [.. hosts.Select(host => new SiloView(
            host.SiloAddress.ToString(),
            host.SiloName,
            host.Status.ToString(),
            slots.TryGetValue(host.SiloAddress, out var declared) ? (declared.AcceptsRuns ? declared.Slots : 0) : null,
            [.. runs.Where(r => !r.IsTerminal && r.HostSilo is { } silo && HostMatches(silo, host)).Select(r => r.ConfigName)]))];
    }

    /// <summary>A run's host silo is the label its silo claimed it under: "{name}@{endpoint}" (see WorkPuller).</summary>
    private static bool HostMatches(string runHost, MembershipEntry host) =>
        runHost.EndsWith("@" + host.SiloAddress.Endpoint, StringComparison.Ordinal);

    private static SweepSummaryView Summary(SweepStatus status)
    {
        var t = status.Totals;
        return new SweepSummaryView(status.SweepId, Name(status.Phase), t.Runs, t.Queued, t.Running, t.Completed, t.Failed, t.Cancelled);
    }

    private static string PhaseOf(RunStatus run) => run switch
    {
        { IsTerminal: false, CancelRequested: true } => "cancelling",
        _ => Name(run.Phase),
    };

    private static string Name<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();
}
