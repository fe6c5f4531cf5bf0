using System.Text;
using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Runs;
using LearnedActivation.Grains.Storage;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Reporting;
using LearnedActivation.Model.Reporting.Transfer;
using Microsoft.Extensions.Logging;
using ReportOutcome = LearnedActivation.Model.Reporting.RunOutcome;

namespace LearnedActivation.Grains.Sweeps;

/// <summary>
/// The coordinator's comparison: reads each completed run's <see cref="RunArtifactNames.Summary"/>
/// from the store, stands in rows for runs that failed, were cancelled or never ran, renders the
/// grids, reference figure, overlays, learning curves and results table with <see cref="SweepReport"/>
/// and stores them under the sweep's artifact prefix. A study's report also lists its transfer sweeps
/// (<see cref="StudyTransfers"/>) and judges claim (h) from the finished ones.
/// </summary>
/// <remarks>
/// A transfer sweep ends after its study's report was written, so the transfer's own assembly rebuilds the
/// study's report as its last step (<see cref="RefreshStudyAsync"/>): the report is a stored artifact that
/// <c>learnact results</c> only copies, and this is the one step that runs when, and only when, a transfer has new
/// numbers, on the silo that already reads the store. It runs inside the transfer's assembly, before the transfer is
/// recorded finished, so that an embedded <c>learnact transfer</c> (which exits once its sweep is finished) never
/// leaves it half done; a failure there is logged and leaves the transfer's own artifacts alone.
/// </remarks>
public sealed partial class ReportAssembler(IBlobStore store, ILogger<ReportAssembler> logger, TimeProvider? time = null) : ISweepArtifactAssembler
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public async Task<IReadOnlyList<string>> AssembleAsync(SweepAssemblyInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var summaries = await SummariesAsync(input.Runs, cancellationToken);
        if (input.Spec.Multitask is { } multitask)
        {
            // A multitask sweep's tables compare the arms trained on the holdout (MultitaskHoldout), not a study's.
            return await WriteMultitaskTablesAsync(input, multitask, summaries, cancellationToken);
        }

        if (input.Spec.Transfer is not { } transfer)
        {
            return await WriteStudyReportAsync(input.SweepId, input.Spec, summaries, current: null, cancellationToken);
        }

        // A transfer sweep has several runs per configuration and seed (one per source run): its report is its own.
        var runs = TransferRunsOf(input.Runs.Select(r => r.Definition), summaries);
        var scratch = Directory.CreateTempSubdirectory("learnact-report-");
        IReadOnlyList<string> keys;
        try
        {
            var files = TransferReport.Write(scratch.FullName, input.Spec.Id, transfer.SourceSweepId, input.Spec.Data.ToString(), runs);
            keys = await UploadAsync(input.SweepId, files, cancellationToken);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }

        var current = new StudyTransfer(input.SweepId, StudyTransfers.TargetName(input.Spec.Data), StudyTransfer.FinishedStatus,
            runs.Count(r => r.Summary.Outcome == ReportOutcome.Completed), runs.Count, null, runs);
        await RefreshStudyAsync(transfer.SourceSweepId, current, cancellationToken);
        return keys;
    }

    private async Task<IReadOnlyList<string>> WriteMultitaskTablesAsync(SweepAssemblyInput input, MultitaskSweep multitask, IReadOnlyList<RunSummary> summaries, CancellationToken cancellationToken)
    {
        var scratch = Directory.CreateTempSubdirectory("learnact-report-");
        try
        {
            var files = MultitaskHoldout.Write(scratch.FullName, input.Spec, multitask, input.Runs, summaries);
            return await UploadAsync(input.SweepId, files, cancellationToken);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Rebuilds the report of the study <paramref name="studyId"/> (when it is finished) so that it lists its transfer
    /// sweeps, <paramref name="current"/> (the transfer being assembled, whose stored state does not say finished yet)
    /// among them. Same keys as the study's own assembly wrote, so the study's recorded artifacts stay true.
    /// </summary>
    private async Task RefreshStudyAsync(string studyId, StudyTransfer current, CancellationToken cancellationToken)
    {
        try
        {
            var study = await SweepStoreView.ReadStatusAsync(store, studyId, _time.GetUtcNow(), cancellationToken);
            if (study is not { Phase: SweepPhase.Finished, Spec: { } spec })
            {
                // Not finished (resumed, or assembling): its own assembly lists the transfers when it ends.
                LogStudyNotRefreshed(logger, studyId, current.SweepId, study?.Phase ?? SweepPhase.Unknown);
                return;
            }

            var statuses = study.Runs.ToDictionary(r => r.ConfigName, StringComparer.Ordinal);
            var definitions = spec.Runs().Where(r => statuses.ContainsKey(r.ConfigName)).ToList();
            var runs = await ConcurrentReads.InOrderAsync(definitions, async (r, token) =>
            {
                // The run's record has the curve with each epoch's validation AUC, which older summaries lack.
                var key = new RunKey(studyId, r.ConfigName);
                var record = await BlobGrainStorage.ReadStoredAsync<RunState>(store, StoreLayout.RunState(key), token);
                return new AssemblyRun(r, statuses[r.ConfigName], record?.Curve ?? [], [StoreLayout.RunArtifact(key, RunArtifactNames.Summary)]);
            }, cancellationToken);

            await WriteStudyReportAsync(studyId, spec, await SummariesAsync(runs, cancellationToken), current, cancellationToken);
            LogStudyRefreshed(logger, studyId, current.SweepId);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogStudyRefreshFailed(logger, e, studyId, current.SweepId);
        }
    }

    private async Task<IReadOnlyList<string>> WriteStudyReportAsync(
        string sweepId, SweepSpec spec, IReadOnlyList<RunSummary> summaries, StudyTransfer? current, CancellationToken cancellationToken)
    {
        var scratch = Directory.CreateTempSubdirectory("learnact-report-");
        try
        {
            var transfers = await new StudyTransfers(store).ReadAsync(sweepId, scratch.FullName, current, _time.GetUtcNow(), cancellationToken);
            var files = SweepReport.Write(scratch.FullName, spec.Id, spec.Configs(), summaries, spec.Axes.Seeds, transfers.Transfers).Files;
            return await UploadAsync(sweepId, [.. transfers.Files, .. files], cancellationToken);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    /// <summary>The runs of a transfer sweep as its report sees them: each with the source run its activation came from.</summary>
    internal static List<TransferRun> TransferRunsOf(IEnumerable<RunDefinition> definitions, IReadOnlyList<RunSummary> summaries) =>
        [.. definitions.Zip(summaries, (definition, summary) => new TransferRun(summary, definition.Source?.RunName, definition.Source?.Config))];

    private async Task<IReadOnlyList<RunSummary>> SummariesAsync(IReadOnlyList<AssemblyRun> runs, CancellationToken cancellationToken) =>
        await ConcurrentReads.InOrderAsync(runs, SummaryOf, cancellationToken);

    /// <summary>Stores each file as an artifact of <paramref name="sweepId"/> (report.md last, as listed) and returns the keys.</summary>
    private async Task<IReadOnlyList<string>> UploadAsync(string sweepId, IReadOnlyList<string> files, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        foreach (var file in files)
        {
            var key = StoreLayout.SweepArtifact(sweepId, Path.GetFileName(file));
            await using var content = File.OpenRead(file);
            await store.PutAsync(key, content, cancellationToken);
            keys.Add(key);
        }

        return keys;
    }

    private async Task<RunSummary> SummaryOf(AssemblyRun run, CancellationToken cancellationToken)
    {
        var definition = run.Definition;
        if (run.Completed)
        {
            var key = run.ArtifactKeys.FirstOrDefault(k => StoreLayout.ArtifactName(k) == RunArtifactNames.Summary);
            var bytes = key is null ? null : await store.GetAsync(key, cancellationToken);
            if (bytes is not null)
            {
                return WithAucFromRecord(RunSummaryJson.Deserialize(Encoding.UTF8.GetString(bytes)), run.Curve);
            }

            LogSummaryMissing(logger, definition.ConfigName);
        }

        var status = run.Status;
        var outcome = status.Phase switch
        {
            RunPhase.Failed => ReportOutcome.Failed,
            RunPhase.Cancelled => ReportOutcome.Cancelled,
            RunPhase.Completed => ReportOutcome.Failed,
            _ => ReportOutcome.Missing,
        };
        var error = status.Phase == RunPhase.Completed ? "completed, but its summary is missing from the store" : status.Error;
        return RunSummary.Missing(definition.Model, definition.Seed, definition.ConfigName) with
        {
            Outcome = outcome,
            Error = error,
            EpochsCompleted = status.Epoch,
            ValAccuracy = status.BestValAccuracy,
            TrainingTime = TimeSpan.FromSeconds(status.TrainingSeconds),
        };
    }

    /// <summary>
    /// A summary written before curves kept the validation AUC gets it from the run's record, which always had it
    /// (epoch for epoch, when the record holds the same epochs): the report's epochs at chance need it.
    /// </summary>
    private static RunSummary WithAucFromRecord(RunSummary summary, IReadOnlyList<EpochReport> record) =>
        summary.Curves is { ValidationAuc: null } curves && record.Count == curves.ValidationLoss.Length && record.Count > 0
            ? summary with { Curves = curves with { ValidationAuc = [.. record.Select(e => e.ValAuc)] } }
            : summary;

    [LoggerMessage(Level = LogLevel.Information, Message = "Study {Study}: report rebuilt to list transfer sweep {Transfer}")]
    private static partial void LogStudyRefreshed(ILogger logger, string study, string transfer);

    [LoggerMessage(Level = LogLevel.Information, Message = "Study {Study} is {Phase}, not finished: its report is not rebuilt for transfer sweep {Transfer} (its own assembly will list it)")]
    private static partial void LogStudyNotRefreshed(ILogger logger, string study, string transfer, SweepPhase phase);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Study {Study}: rebuilding its report for transfer sweep {Transfer} failed; the transfer's own artifacts are stored")]
    private static partial void LogStudyRefreshFailed(ILogger logger, Exception e, string study, string transfer);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {Run} completed but has no summary in the store; reported as missing")]
    private static partial void LogSummaryMissing(ILogger logger, string run);
}
