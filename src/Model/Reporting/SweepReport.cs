using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.IO;
using LearnedActivation.Model.Plots;
using LearnedActivation.Model.Reporting.Transfer;

namespace LearnedActivation.Model.Reporting;

/// <summary>
/// Assembles a finished sweep's comparison: per base activation a grid of learned functions, an overlay of
/// their normalised shapes and their learning curves; the reference functions; the results table (CSV and
/// Markdown); report.md tying them together, and report.html, the same as one self-contained page. Runs
/// without a result leave gaps and are listed, never
/// stop the rest from being written.
/// </summary>
public static class SweepReport
{
    /// <summary>The results table as CSV (one row per expected run).</summary>
    public const string ResultsCsvFile = ResultsTable.CsvFileName;

    /// <summary>The results table as Markdown, with per-base summary and missing runs.</summary>
    public const string ResultsMarkdownFile = ResultsTable.MarkdownFileName;

    /// <summary>report.md as one self-contained web page: figures inline, results table sortable and filterable.</summary>
    public const string ReportHtmlFile = ReportHtml.FileName;

    /// <summary>
    /// Writes the report into <paramref name="directory"/> (created if needed; existing files of the same
    /// names are replaced, each file atomically). report.md is written last, so its presence means every
    /// file it links to is in place.
    /// </summary>
    /// <param name="directory">Output folder.</param>
    /// <param name="sweepId">Shown in titles and headings.</param>
    /// <param name="expectedConfigs">Every configuration the sweep trains; figures and rows follow these, so a
    /// configuration nobody reported on still gets a row and a "missing" panel.</param>
    /// <param name="runs">What is known of the runs: at most one per configuration and seed, each of an expected configuration.</param>
    /// <param name="expectedSeeds">The sweep's seeds; by default the seeds that <paramref name="runs"/> report (seed 0 when there are none).
    /// Pass them when some seed may have no run at all, so that its rows appear as missing.</param>
    /// <param name="transfers">The transfer sweeps whose source is this sweep, listed in the report and judged in claim (h).
    /// A finished one's <see cref="StudyTransfer.MarkdownFile"/> (and its figure) must already lie in <paramref name="directory"/>:
    /// the report links them by name and report.html inlines them.</param>
    /// <exception cref="ArgumentException">No expected configuration, a run of an unexpected configuration or seed, or two runs of the same configuration and seed.</exception>
    public static SweepReportResult Write(
        string directory,
        string sweepId,
        IReadOnlyList<ModelConfig> expectedConfigs,
        IReadOnlyList<RunSummary> runs,
        IReadOnlyList<long>? expectedSeeds = null,
        IReadOnlyList<StudyTransfer>? transfers = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentException.ThrowIfNullOrWhiteSpace(sweepId);
        var sweep = SweepRuns.Create(expectedConfigs, runs, expectedSeeds);
        Directory.CreateDirectory(directory);
        var files = new List<string>();
        string PathOf(string name)
        {
            var path = Path.GetFullPath(Path.Combine(directory, name));
            files.Add(path);
            return path;
        }

        ReferenceFunctionsPlot.Save(PathOf(SweepFigures.ReferenceFileName), sweep.Bases);
        foreach (var baseActivation in sweep.Bases)
        {
            foreach (var figure in SweepFigures.PerBase)
            {
                figure.Save(PathOf(figure.FileName(baseActivation)), sweepId, sweep, baseActivation);
            }
        }

        var distanceMatrix = Path.Combine(directory, SweepFigures.DistanceMatrixFileName);
        if (SweepFigures.SaveDistanceMatrix(distanceMatrix, sweepId, sweep))
        {
            files.Add(Path.GetFullPath(distanceMatrix));
        }

        AtomicFile.WriteAllText(PathOf(ResultsTable.CsvFileName), ResultsTable.Csv(sweep));
        AtomicFile.WriteAllText(PathOf(ResultsTable.MarkdownFileName), ResultsTable.Markdown(sweepId, sweep));
        var markdown = ReportMarkdown.Build(sweepId, sweep, transfers ?? []);
        AtomicFile.WriteAllText(PathOf(ReportHtml.FileName), ReportHtml.Build(markdown, directory, sweep));
        AtomicFile.WriteAllText(PathOf(ReportMarkdown.FileName), markdown);

        return new SweepReportResult(files, [.. sweep.NotCompleted.Select(r => r.RunName)], sweep.Rows);
    }
}
