namespace LearnedActivation.Model.Reporting;

/// <summary>What <see cref="SweepReport.Write"/> produced.</summary>
/// <param name="Files">Full paths of the files written, figures first and report.md last.</param>
/// <param name="MissingRuns">Names of the runs without a result (failed, cancelled or never reported), in table order.</param>
/// <param name="Rows">Every expected run in table order, with a <see cref="RunOutcome.Missing"/> stand-in where nothing was reported: what the tables show, for printing elsewhere.</param>
public sealed record SweepReportResult(IReadOnlyList<string> Files, IReadOnlyList<string> MissingRuns, IReadOnlyList<RunSummary> Rows);
