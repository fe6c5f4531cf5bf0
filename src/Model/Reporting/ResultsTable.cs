using System.Globalization;
using System.Text;
using LearnedActivation.Model.Configuration;

namespace LearnedActivation.Model.Reporting;

/// <summary>
/// The results table in CSV (for scripts) and Markdown (for people), with the per-base summary and the
/// list of runs without a result. Numbers use the invariant culture and 4 decimals; an absent value is
/// an empty CSV field and "-" in Markdown.
/// </summary>
internal static class ResultsTable
{
    public const string CsvFileName = "results.csv";
    public const string MarkdownFileName = "results.md";

    public static readonly IReadOnlyList<string> CsvColumns =
    [
        "run", "base", "outer", "act", "arm", "seed", "outcome", "epochs", "best_epoch",
        "val_accuracy", "val_auc", "test_accuracy", "test_auc", "test_loss", "training_time_s",
        "extrema_count", "dominant_z", "asymmetry", "nearest", "nearest_error", "base_distance",
        "outer_params", "activation_params", "train_accuracy", "warm_fit_error", "stopped_early",
        .. StatisticsTables.CsvColumns,
    ];

    private static readonly string[] MarkdownColumns =
    [
        "run", "base", "outer", "act", "arm", "seed", "outcome", "epochs", "best epoch",
        "val acc", "val AUC", "test acc", "test AUC", "test loss", "training time (s)",
        "extrema", "dominant z", "asymmetry", "nearest", "nearest error", "base distance",
        "outer params", "activation params", "train acc", "warm fit error", "stopped early",
    ];

    // Errors can carry whole stack traces; the report names the problem, the run's own log has the rest.
    private const int MaxErrorLength = 300;

    public static string Csv(SweepRuns runs)
    {
        var csv = new StringBuilder();
        csv.Append(string.Join(',', CsvColumns)).Append('\n');
        var statistics = StatisticsTables.ByGroup(runs);
        foreach (var row in runs.Rows)
        {
            var cells = Cells(row).Concat(StatisticsTables.CsvCells(row, statistics));
            csv.Append(string.Join(',', cells.Select(c => CsvField(c ?? string.Empty)))).Append('\n');
        }

        return csv.ToString();
    }

    /// <summary>The complete results.md: every run, the per-base summary, and the runs without a result.</summary>
    public static string Markdown(string sweepId, SweepRuns runs)
    {
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"# Results of sweep {sweepId}\n\n");
        md.Append(Overview(runs)).Append("\n\n");
        md.Append("## Runs\n\n").Append(RunsTable(runs)).Append('\n');
        md.Append("## Mean test accuracy per base activation\n\n").Append(BaseSummaryTable(runs)).Append('\n');
        md.Append("## Per configuration and arm, over seeds\n\n").Append(StatisticsTables.Markdown(runs)).Append('\n');
        md.Append(CultureInfo.InvariantCulture, $"## {FromScratchTable.Heading}\n\n").Append(FromScratchTable.Markdown(runs)).Append('\n');
        md.Append("## Missing runs\n\n").Append(MissingRuns(runs));
        return md.ToString();
    }

    /// <summary>"25 of 27 runs completed; 1 failed, 1 missing." plus, with several seeds, which seed the figures show.</summary>
    public static string Overview(SweepRuns runs)
    {
        var completed = runs.Rows.Count(r => r.Outcome == RunOutcome.Completed);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{completed} of {runs.Rows.Count} runs completed");
        var others = Enum.GetValues<RunOutcome>()
            .Where(o => o != RunOutcome.Completed)
            .Select(o => (Outcome: o, Count: runs.Rows.Count(r => r.Outcome == o)))
            .Where(p => p.Count > 0)
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Count} {OutcomeName(p.Outcome)}"))
            .ToList();
        text.Append(others.Count > 0 ? "; " + string.Join(", ", others) + "." : ".");
        if (runs.Rows.Select(r => r.Seed).Distinct().Count() > 1)
        {
            text.Append(" Every seed is listed; the figures show, per configuration, the lowest seed that completed.");
        }

        return text.ToString();
    }

    public static string RunsTable(SweepRuns runs)
    {
        var md = new StringBuilder();
        AppendRow(md, MarkdownColumns);
        AppendRow(md, MarkdownColumns.Select((_, i) => i < 7 ? "---" : "---:"));
        foreach (var row in runs.Rows)
        {
            AppendRow(md, Cells(row).Select(c => string.IsNullOrEmpty(c) ? "-" : c));
        }

        return md.ToString();
    }

    /// <summary>Per base: how many runs completed and their mean validation/test metrics, and the best run by test accuracy.</summary>
    public static string BaseSummaryTable(SweepRuns runs)
    {
        var md = new StringBuilder();
        AppendRow(md, ["base", "runs", "completed", "mean val acc", "mean test acc", "mean test AUC", "best run (test acc)"]);
        AppendRow(md, ["---", "---:", "---:", "---:", "---:", "---:", "---"]);
        foreach (var baseActivation in runs.Bases)
        {
            var all = runs.OfBase(baseActivation).ToList();
            var completed = all.Where(r => r.Outcome == RunOutcome.Completed).ToList();
            var best = completed.Where(r => r.TestAccuracy is not null).MaxBy(r => r.TestAccuracy);
            AppendRow(md,
            [
                Names.Of(baseActivation),
                Integer(all.Count),
                Integer(completed.Count),
                Number(Mean(completed, r => r.ValAccuracy)) ?? "-",
                Number(Mean(completed, r => r.TestAccuracy)) ?? "-",
                Number(Mean(completed, r => r.TestAuc)) ?? "-",
                best is null ? "-" : $"{best.RunName} ({Number(best.TestAccuracy)})",
            ]);
        }

        return md.ToString();
    }

    /// <summary>A bullet per run that did not complete, with its outcome and error; a sentence when there are none.</summary>
    public static string MissingRuns(SweepRuns runs)
    {
        var missing = runs.NotCompleted.ToList();
        if (missing.Count == 0)
        {
            return "None: every run completed.\n";
        }

        var md = new StringBuilder();
        foreach (var run in missing)
        {
            md.Append(CultureInfo.InvariantCulture, $"- `{run.RunName}` ({OutcomeName(run.Outcome)})");
            var reason = run.Outcome == RunOutcome.Missing && string.IsNullOrWhiteSpace(run.Error) ? "no result was reported" : OneLine(run.Error);
            md.Append(reason.Length > 0 ? ": " + reason : string.Empty).Append('\n');
        }

        return md.ToString();
    }

    public static string OutcomeName(RunOutcome outcome) => outcome.ToString().ToLowerInvariant();

    /// <summary>The row's values in <see cref="CsvColumns"/> order; null where a value is absent.</summary>
    private static string?[] Cells(RunSummary row)
    {
        var hasRun = row.Outcome != RunOutcome.Missing;
        var analysis = row.Analysis;
        return
        [
            row.RunName,
            Names.Of(row.Config.Base),
            Names.Of(row.Config.Outer),
            // The fixed arms have no activation network: no activation size.
            row.Config.HasActivationNetwork ? Names.Of(row.Config.Activation) : null,
            Names.Of(row.Arm),
            row.Seed.ToString(CultureInfo.InvariantCulture),
            OutcomeName(row.Outcome),
            hasRun ? Integer(row.EpochsCompleted) : null,
            row.BestEpoch > 0 ? Integer(row.BestEpoch) : null,
            Number(row.ValAccuracy),
            Number(row.ValAuc),
            Number(row.TestAccuracy),
            Number(row.TestAuc),
            Number(row.TestLoss),
            hasRun ? Number(row.TrainingTime.TotalSeconds) : null,
            analysis is null ? null : Integer(analysis.ExtremaCount),
            Number(analysis?.Dominant?.Z),
            Number(analysis?.Asymmetry),
            analysis?.Nearest.Name,
            Number(analysis?.Nearest.Error),
            Number(analysis?.BaseDistance),
            row.OuterParameters?.ToString(CultureInfo.InvariantCulture),
            row.ActivationParameters?.ToString(CultureInfo.InvariantCulture),
            Number(row.TrainAccuracy),
            row.WarmStartFitError?.ToString("G4", CultureInfo.InvariantCulture),
            row.StoppedEarly is { } stopped ? (stopped ? "true" : "false") : null,
        ];
    }

    private static double? Mean(IReadOnlyList<RunSummary> runs, Func<RunSummary, double?> metric)
    {
        var values = runs.Select(metric).OfType<double>().ToList();
        return values.Count > 0 ? values.Average() : null;
    }

    internal static string Integer(int value) => value.ToString(CultureInfo.InvariantCulture);

    internal static string? Number(double? value) => value?.ToString("F4", CultureInfo.InvariantCulture);

    internal static void AppendRow(StringBuilder md, IEnumerable<string> cells) =>
        md.Append("| ").Append(string.Join(" | ", cells.Select(c => c.Replace("|", "\\|", StringComparison.Ordinal)))).Append(" |\n");

    private static string CsvField(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    private static string OneLine(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return string.Empty;
        }

        var line = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return line.Length <= MaxErrorLength ? line : line[..MaxErrorLength] + "…";
    }
}
