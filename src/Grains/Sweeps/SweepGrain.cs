using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Storage;
using Microsoft.Extensions.Logging;

namespace LearnedActivation.Grains.Sweeps;

/// <summary>
/// Coordinates one sweep: starts its runs (all at once; each silo's worker queue limits how many
/// train), records what they report, and when all have ended has the artifacts assembled off the grain
/// scheduler. Starting it again resumes it: completed runs stay, the others continue from their
/// checkpoints. Run grains never call this grain; their executions do (see GrainProgressSink).
/// </summary>
[GrainType(StoreLayout.SweepGrainType)]
public sealed partial class SweepGrain(
    [PersistentState("sweep", StorageNames.Sweeps)] IPersistentState<SweepState> state,
    ISweepArtifactAssembler assembler,
    TimeProvider time,
    ILogger<SweepGrain> logger) : Grain, ISweepGrain
{
    private IGrainTimer? _assembly;

    private SweepState S => state.State;

    private string Id => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // An assembly that a crash interrupted is redone.
        if (S.Phase == SweepPhase.Assembling || (S.Phase == SweepPhase.Running && S.AllRunsEnded))
        {
            ScheduleAssembly();
        }

        return Task.CompletedTask;
    }

    public async Task<SweepStatus> StartAsync(SweepSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Id != Id)
        {
            throw new ArgumentException($"spec id '{spec.Id}' sent to sweep '{Id}'", nameof(spec));
        }

        if (SweepSpecValidator.FirstError(spec) is { } error)
        {
            throw new ArgumentException($"sweep '{Id}': {error}", nameof(spec));
        }

        if (S.Spec is not null && !S.Spec.SameAs(spec))
        {
            throw new ArgumentException($"sweep '{Id}' already exists with a different spec; start it under another id", nameof(spec));
        }

        var now = time.GetUtcNow();
        var toStart = spec.Runs().Where(r => !(S.Runs.TryGetValue(r.ConfigName, out var s) && s.Phase == RunPhase.Completed)).ToList();
        if (toStart.Count == 0 && S.Phase == SweepPhase.Finished && S.AssemblyError is null)
        {
            return S.ToStatus(Id, now);
        }

        (S.Spec, S.Phase, S.StartedAt, S.FinishedAt, S.AssemblyError) = (spec, SweepPhase.Running, S.StartedAt ?? now, null, null);
        LogStarting(Id, toStart.Count, spec.Runs().Count);
        var outcomes = await Task.WhenAll(toStart.Select(r => Run(r.ConfigName).StartAsync(RunWorkItem.For(spec, r))));
        foreach (var outcome in outcomes)
        {
            S.Record(outcome);
        }

        await state.WriteStateAsync();
        if (S.AllRunsEnded)
        {
            ScheduleAssembly();
        }

        return S.ToStatus(Id, now);
    }

    public Task<SweepStatus> GetStatusAsync() => Task.FromResult(S.ToStatus(Id, time.GetUtcNow()));

    public Task<IReadOnlyDictionary<string, IReadOnlyList<EpochReport>>> GetCurvesAsync() =>
        Task.FromResult<IReadOnlyDictionary<string, IReadOnlyList<EpochReport>>>(
            S.Curves.ToDictionary(c => c.Key, c => (IReadOnlyList<EpochReport>)[.. c.Value]));

    public async Task CancelAsync()
    {
        if (S.Spec is null || S.Phase is not SweepPhase.Running)
        {
            return;
        }

        S.Phase = SweepPhase.Cancelled;
        var live = S.Spec.Runs().Where(r => !(S.Runs.TryGetValue(r.ConfigName, out var s) && s.IsTerminal));
        var statuses = await Task.WhenAll(live.Select(r => Run(r.ConfigName).CancelAsync()));

        // Runs with an execution report their end later; those without one ended just now.
        foreach (var status in statuses.Where(s => s.IsTerminal))
        {
            S.Runs[status.ConfigName] = status;
        }

        await state.WriteStateAsync();
    }

    public async Task ReportEpochAsync(RunStatus status, EpochReport epoch)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (S.Knows(status.ConfigName))
        {
            S.RecordEpoch(status, epoch);
            await state.WriteStateAsync();
        }
    }

    public async Task ReportStatusAsync(RunStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (S.Knows(status.ConfigName))
        {
            S.Runs[status.ConfigName] = status;
            await state.WriteStateAsync();
        }
    }

    public async Task RunEndedAsync(RunOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (!S.Knows(outcome.Status.ConfigName))
        {
            return;
        }

        S.Record(outcome);
        await state.WriteStateAsync();
        if (S.Phase == SweepPhase.Running && S.AllRunsEnded)
        {
            ScheduleAssembly();
        }
    }

    /// <summary>As a grain timer, so that the assembly runs as a turn of its own rather than inside a run's report.</summary>
    private void ScheduleAssembly()
    {
        _assembly?.Dispose();
        _assembly = this.RegisterGrainTimer(AssembleAsync, new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan) { KeepAlive = true });
    }

    private async Task AssembleAsync(CancellationToken cancellationToken)
    {
        S.Phase = SweepPhase.Assembling;
        await state.WriteStateAsync(cancellationToken);
        var input = S.AssemblyInput(Id, time.GetUtcNow());
        try
        {
            // Plotting is CPU work: off the grain scheduler.
            var keys = await Task.Run(() => assembler.AssembleAsync(input, cancellationToken), cancellationToken);
            (S.ArtifactKeys, S.AssemblyError) = ([.. keys], null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogAssemblyFailed(e, Id);
            S.AssemblyError = $"{e.GetType().Name}: {e.Message}".ReplaceLineEndings(" ");
        }

        (S.MissingRuns, S.Phase, S.FinishedAt) = ([.. input.MissingRuns], SweepPhase.Finished, time.GetUtcNow());
        await state.WriteStateAsync(cancellationToken);
        LogFinished(Id, input.Runs.Count - input.MissingRuns.Count, input.Runs.Count, input.MissingRuns);
    }

    private ITrainingRunGrain Run(string configName) => GrainFactory.GetGrain<ITrainingRunGrain>(new RunKey(Id, configName).ToString());

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {Sweep}: starting {Count} of {Total} runs (the rest completed earlier)")]
    private partial void LogStarting(string sweep, int count, int total);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {Sweep} finished: {Completed}/{Total} runs completed; missing {Missing}")]
    private partial void LogFinished(string sweep, int completed, int total, IReadOnlyList<string> missing);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sweep {Sweep}: assembling artifacts failed")]
    private partial void LogAssemblyFailed(Exception e, string sweep);
}
