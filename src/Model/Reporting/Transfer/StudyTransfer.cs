namespace LearnedActivation.Model.Reporting.Transfer;

/// <summary>
/// A transfer sweep as the report of its source study sees it: which sweep, on which data, how far it got, where
/// its own report lies, and, once it has finished, its runs (what claim (h) is judged from).
/// </summary>
/// <param name="SweepId">The transfer sweep's id.</param>
/// <param name="Target">The target data set as the report names it ("target.csv [label]").</param>
/// <param name="Status">Its phase in words ("running", "finished", "cancelled", ...).</param>
/// <param name="CompletedRuns">Runs completed so far.</param>
/// <param name="TotalRuns">Runs it trains.</param>
/// <param name="MarkdownFile">File name of the copy of its transfer.md beside the study's report; null until it has one.</param>
/// <param name="Runs">Its runs when it has finished (empty otherwise): an unfinished transfer gives no verdict.</param>
public sealed record StudyTransfer(
    string SweepId,
    string Target,
    string Status,
    int CompletedRuns,
    int TotalRuns,
    string? MarkdownFile,
    IReadOnlyList<TransferRun> Runs)
{
    /// <summary>The phase word of a finished sweep.</summary>
    public const string FinishedStatus = "finished";

    public bool Finished => Status == FinishedStatus;

    /// <summary>"{transfer id}_transfer.md": the copy of a transfer's table in its study's report folder, named as its figure is in the study layout.</summary>
    public static string MarkdownCopyName(string transferSweepId) => $"{transferSweepId}_{TransferReport.MarkdownFileName}";

    /// <summary>"{transfer id}_transfer.png", the figure that copy shows.</summary>
    public static string FigureCopyName(string transferSweepId) => $"{transferSweepId}_{TransferReport.FigureFileName}";

    /// <summary>A transfer's transfer.md as its study's report folder holds it: its figure link renamed to the copy's.</summary>
    public static string MarkdownCopy(string transferSweepId, string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        return markdown.Replace($"]({TransferReport.FigureFileName})", $"]({FigureCopyName(transferSweepId)})", StringComparison.Ordinal);
    }
}
