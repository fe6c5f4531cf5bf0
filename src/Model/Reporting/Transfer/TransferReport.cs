using System.Globalization;
using System.Text;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.IO;
using LearnedActivation.Model.Reporting.Statistics;

namespace LearnedActivation.Model.Reporting.Transfer;

/// <summary>
/// A finished transfer sweep's artifacts: <c>transfer.csv</c> (one row per run), <c>transfer.md</c> (the paired
/// differences against <c>fixed</c> per source configuration and arm, with 95 % intervals, and the runs without a
/// result) and <c>transfer.png</c> (the same differences with their intervals, per arm).
/// </summary>
public static class TransferReport
{
    public const string CsvFileName = "transfer.csv";
    public const string MarkdownFileName = "transfer.md";
    public const string FigureFileName = "transfer.png";

    public static readonly IReadOnlyList<string> CsvColumns =
    [
        "run", "source_run", "source_arm", "base", "outer", "act", "arm", "seed", "outcome",
        "epochs", "best_epoch", "val_accuracy", "test_accuracy", "test_auc", "test_loss", "train_accuracy",
    ];

    /// <summary>Writes the three files into <paramref name="directory"/> (each atomically) and returns their paths.</summary>
    /// <param name="directory">Output folder (created if needed).</param>
    /// <param name="sweepId">The transfer sweep.</param>
    /// <param name="sourceSweepId">The sweep its activations came from.</param>
    /// <param name="target">The target data, as the report names it.</param>
    /// <param name="runs">Every run of the sweep, completed or not.</param>
    public static IReadOnlyList<string> Write(string directory, string sweepId, string sourceSweepId, string target, IReadOnlyList<TransferRun> runs)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(runs);
        Directory.CreateDirectory(directory);
        var rows = TransferStatistics.Of(runs);
        var csv = Path.GetFullPath(Path.Combine(directory, CsvFileName));
        var figure = Path.GetFullPath(Path.Combine(directory, FigureFileName));
        var markdown = Path.GetFullPath(Path.Combine(directory, MarkdownFileName));
        AtomicFile.WriteAllText(csv, Csv(runs));
        TransferFigure.Save(figure, $"{sweepId}: transfer from {sourceSweepId}, difference to fixed", rows);
        AtomicFile.WriteAllText(markdown, Markdown(sweepId, sourceSweepId, target, runs, rows));
        return [csv, figure, markdown];
    }

    public static string Csv(IReadOnlyList<TransferRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var csv = new StringBuilder();
        csv.Append(string.Join(',', CsvColumns)).Append('\n');
        foreach (var run in runs)
        {
            var s = run.Summary;
            var hasRun = s.Outcome != RunOutcome.Missing;
            string?[] cells =
            [
                s.RunName,
                run.SourceRun,
                run.SourceConfig is { } source ? Names.Of(source.Arm) : null,
                Names.Of(s.Config.Base),
                Names.Of(s.Config.Outer),
                s.Config.HasActivationNetwork ? Names.Of(s.Config.Activation) : null,
                Names.Of(s.Arm),
                s.Seed.ToString(CultureInfo.InvariantCulture),
                ResultsTable.OutcomeName(s.Outcome),
                hasRun ? ResultsTable.Integer(s.EpochsCompleted) : null,
                s.BestEpoch > 0 ? ResultsTable.Integer(s.BestEpoch) : null,
                Metric(s.ValAccuracy),
                Metric(s.TestAccuracy),
                Metric(s.TestAuc),
                Metric(s.TestLoss),
                Metric(s.TrainAccuracy),
            ];
            csv.Append(string.Join(',', cells.Select(c => Field(c ?? string.Empty)))).Append('\n');
        }

        return csv.ToString();
    }

    /// <summary>
    /// The runs back from <see cref="Csv"/>, as far as the statistics need them (name, configuration, source, seed,
    /// outcome and metrics): what the report of the source study reads to judge claim (h) without every run's summary.
    /// </summary>
    /// <exception cref="FormatException">Not a transfer.csv.</exception>
    public static IReadOnlyList<TransferRun> ReadCsv(string csv)
    {
        ArgumentNullException.ThrowIfNull(csv);
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0 || !lines[0].TrimEnd('\r').Split(',').SequenceEqual(CsvColumns))
        {
            throw new FormatException("not a transfer.csv: its header differs");
        }

        var column = CsvColumns.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
        return [.. lines.Skip(1).Select(line =>
        {
            // Only run names may need quotes, and learnact's never do (they are storage-key names).
            var cells = line.TrimEnd('\r').Split(',');
            if (cells.Length != CsvColumns.Count)
            {
                throw new FormatException($"transfer.csv row '{line}' has {cells.Length} cells, not {CsvColumns.Count}");
            }

            string Cell(string name) => cells[column[name]];
            double? Value(string name) => Cell(name).Length == 0 ? null : double.Parse(Cell(name), NumberStyles.Float, CultureInfo.InvariantCulture);
            var baseActivation = Names.ParseBase(Cell("base"));
            var outer = Names.ParseSize(Cell("outer"));
            var arm = Names.ParseArm(Cell("arm"));
            // An arm without an activation network leaves "act" empty; its configuration ignores the size.
            var config = new ModelConfig(baseActivation, outer, Cell("act").Length == 0 ? default : Names.ParseSize(Cell("act")), arm);
            var summary = RunSummary.Missing(config, long.Parse(Cell("seed"), CultureInfo.InvariantCulture), Cell("run")) with
            {
                Outcome = Enum.GetValues<RunOutcome>().First(o => ResultsTable.OutcomeName(o) == Cell("outcome")),
                ValAccuracy = Value("val_accuracy"),
                TestAccuracy = Value("test_accuracy"),
                TestAuc = Value("test_auc"),
                TestLoss = Value("test_loss"),
                TrainAccuracy = Value("train_accuracy"),
            };
            var sourceRun = Cell("source_run");
            var source = sourceRun.Length == 0 ? null : config with { Arm = Names.ParseArm(Cell("source_arm")) };
            return new TransferRun(summary, sourceRun.Length == 0 ? null : sourceRun, source);
        })];
    }

    /// <summary>The table of paired differences: one row per source configuration, one column per arm.</summary>
    public static string Table(IReadOnlyList<TransferRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var md = new StringBuilder();
        ResultsTable.AppendRow(md, ["source configuration (base / outer / act (arm))", "seeds", "fixed test acc", .. TransferStatistics.Compared.Select(a => $"{Names.Of(a)} − fixed (pp)"), "frozen − random-frozen (pp)"]);
        ResultsTable.AppendRow(md, ["---", "---:", "---:", .. TransferStatistics.Compared.Select(_ => "---:"), "---:"]);
        foreach (var row in rows)
        {
            var fixedAccuracy = row.FixedAccuracy is { } f
                ? (f.HasInterval ? string.Create(CultureInfo.InvariantCulture, $"{f.Mean:F4} [{f.Low:F4}, {f.High:F4}]") : f.Mean.ToString("F4", CultureInfo.InvariantCulture))
                : "-";
            ResultsTable.AppendRow(md,
            [
                row.Label, ResultsTable.Integer(row.Seeds), fixedAccuracy,
                .. TransferStatistics.Compared.Select(a => StatisticsTables.Comparison(row.Comparisons.GetValueOrDefault(a))),
                StatisticsTables.Comparison(row.FrozenVsRandom),
            ]);
        }

        return md.ToString();
    }

    private static string Markdown(string sweepId, string sourceSweepId, string target, IReadOnlyList<TransferRun> runs, IReadOnlyList<TransferRow> rows)
    {
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"# Transfer sweep {sweepId}\n\n");
        md.Append(CultureInfo.InvariantCulture, $"The learned activations of sweep `{sourceSweepId}`, on `{target}`. ");
        md.Append(CultureInfo.InvariantCulture, $"{runs.Count(r => r.Summary.Outcome == RunOutcome.Completed)} of {runs.Count} runs completed.\n\n");
        md.Append("Arms: `fixed` the plain base; `learned` an activation network of the source's size learned from scratch on this data; ");
        md.Append("`frozen` the source's activation, never updated; `finetuned` the source's activation trained further; ");
        md.Append("`random-frozen` a freshly initialised activation network, never trained.\n\n");
        md.Append(CultureInfo.InvariantCulture,
            $"Differences of test accuracy against `fixed`, paired by seed (same split, outer initialisation and data order), in percentage points: mean over seeds with its 95 % t-interval; verdict at a ±{Equivalence.Margin * 100:0.#} pp margin (on par: the interval lies inside it; better or worse: it lies beyond zero and reaches past it; else inconclusive). The last column is the control, `frozen` − `random-frozen` paired by seed: above zero, the learned shape carries something a random curve of the same size does not.\n\n");
        md.Append(rows.Count == 0 ? "No completed source configuration.\n" : Table(rows));
        md.Append(CultureInfo.InvariantCulture, $"\n![differences to fixed]({FigureFileName})\n\n");
        md.Append("## Runs without a result\n\n");
        var missing = runs.Where(r => r.Summary.Outcome != RunOutcome.Completed).ToList();
        if (missing.Count == 0)
        {
            md.Append("None.\n");
        }

        foreach (var run in missing)
        {
            md.Append(CultureInfo.InvariantCulture, $"- {run.Summary.RunName}: {ResultsTable.OutcomeName(run.Summary.Outcome)}{(run.Summary.Error is { Length: > 0 } e ? " (" + e.ReplaceLineEndings(" ") + ")" : string.Empty)}\n");
        }

        return md.ToString();
    }

    /// <summary>Six decimals: a test accuracy is a count over at most 50,000 rows, so pairs computed from the file match the table's.</summary>
    private static string? Metric(double? value) => value?.ToString("F6", CultureInfo.InvariantCulture);

    private static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
