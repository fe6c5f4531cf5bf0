using LearnedActivation.Grains.Contracts;

namespace LearnedActivation.Grains.Execution;

/// <summary>
/// Delivers an execution's progress through grain references, never by touching grain state: first to
/// the run grain (which records it durably and says whether this execution is still the current one),
/// then, when it is, to the sweep grain. Doing both calls from here, outside any grain turn, means no
/// grain ever awaits another grain that might be awaiting it.
/// </summary>
public sealed class GrainProgressSink(IGrainFactory grains, RunKey run, Guid executionId, string? resumeFrom) : IRunProgressSink
{
    private readonly ITrainingRunGrain _run = grains.GetGrain<ITrainingRunGrain>(run.ToString());
    private readonly ISweepGrain _sweep = grains.GetGrain<ISweepGrain>(run.SweepId);

    public Guid ExecutionId => executionId;

    public string? ResumeFrom => resumeFrom;

    public async Task<ReportVerdict> StartedAsync(int resumedFromEpoch, string? checkpointKey)
    {
        if (await _run.OnStartedAsync(executionId, resumedFromEpoch, checkpointKey) is not { } status)
        {
            return ReportVerdict.Stale;
        }

        await _sweep.ReportStatusAsync(executionId, status);
        return Verdict(status);
    }

    public async Task<ReportVerdict> EpochAsync(EpochReport epoch, string? checkpointKey)
    {
        if (await _run.OnEpochAsync(executionId, epoch, checkpointKey) is not { } status)
        {
            return ReportVerdict.Stale;
        }

        await _sweep.ReportEpochAsync(executionId, status, epoch);
        return Verdict(status);
    }

    public async Task<ReportVerdict> CheckAsync() =>
        await _run.CheckAsync(executionId) is { } status ? Verdict(status) : ReportVerdict.Stale;

    public async Task<ReportVerdict> ConfirmAsync() =>
        await _run.ConfirmAsync(executionId) is { } status ? Verdict(status) : ReportVerdict.Stale;

    public async Task EndedAsync(RunEnd ending)
    {
        if (await _run.OnEndedAsync(executionId, ending) is { } outcome)
        {
            await _sweep.RunEndedAsync(executionId, outcome);
        }
    }

    private static ReportVerdict Verdict(RunStatus status) => status.CancelRequested ? ReportVerdict.CancelRequested : ReportVerdict.Accepted;
}
