using System.Text;
using LearnedActivation.Grains.Contracts;
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
/// and stores them under the sweep's artifact prefix.
/// </summary>
public sealed partial class ReportAssembler(IBlobStore store, ILogger<ReportAssembler> logger) : ISweepArtifactAssembler
{
    public async Task<IReadOnlyList<string>> AssembleAsync(SweepAssemblyInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var summaries = new List<RunSummary>();
        foreach (var run in input.Runs)
        {
            summaries.Add(await SummaryOf(run, cancellationToken));
        }

        var axes = input.Spec.Axes;
        var expected = input.Spec.Configs();
        var scratch = Directory.CreateTempSubdirectory("learnact-report-");
        try
        {
            // A transfer sweep has several runs per configuration and seed (one per source run): its report is its own.
            // So has a multitask sweep: its tables compare the arms trained on the holdout (MultitaskHoldout).
            var files = input.Spec.Multitask is { } multitask
                ? MultitaskHoldout.Write(scratch.FullName, input.Spec, multitask, input.Runs, summaries)
                : input.Spec.Transfer is { } transfer
                ? TransferReport.Write(
                    scratch.FullName,
                    input.Spec.Id,
                    transfer.SourceSweepId,
                    input.Spec.Data.ToString(),
                    [.. input.Runs.Zip(summaries, (run, summary) => new TransferRun(summary, run.Definition.Source?.RunName, run.Definition.Source?.Config))])
                : SweepReport.Write(scratch.FullName, input.Spec.Id, expected, summaries, axes.Seeds).Files;
            var keys = new List<string>();
            foreach (var file in files)
            {
                var key = StoreLayout.SweepArtifact(input.SweepId, Path.GetFileName(file));
                await using var content = File.OpenRead(file);
                await store.PutAsync(key, content, cancellationToken);
                keys.Add(key);
            }

            return keys;
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
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
                return RunSummaryJson.Deserialize(Encoding.UTF8.GetString(bytes));
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {Run} completed but has no summary in the store; reported as missing")]
    private static partial void LogSummaryMissing(ILogger logger, string run);
}
