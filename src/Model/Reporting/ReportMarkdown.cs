using System.Globalization;
using System.Text;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Reporting.Transfer;

namespace LearnedActivation.Model.Reporting;

/// <summary>report.md: the sweep's figures and tables on one page, images linked by relative path so the folder can be moved or published as is.</summary>
internal static class ReportMarkdown
{
    public const string FileName = "report.md";

    public const string TransfersHeading = "## Transfer to other data sets";

    public static string Build(string sweepId, SweepRuns runs, IReadOnlyList<StudyTransfer> transfers)
    {
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"# Learned activation functions: sweep {sweepId}\n\n");
        md.Append("Every run trains a fully connected network in which each non-linearity is one small, shared ");
        md.Append("activation network (a univariate MLP with a plain base activation between its layers), learned ");
        md.Append("jointly with the outer network. Rows of each grid are the outer network's size, columns the ");
        md.Append("activation network's size.\n\n");
        md.Append(ResultsTable.Overview(runs)).Append("\n\n");
        md.Append(CultureInfo.InvariantCulture, $"Tables: [{ResultsTable.CsvFileName}]({ResultsTable.CsvFileName}), [{ResultsTable.MarkdownFileName}]({ResultsTable.MarkdownFileName}).\n\n");

        md.Append("## Base activation functions\n\n");
        var bases = runs.Bases.Select(Names.Of).ToList();
        var referenceAlt = bases.Count > 1 ? $"{string.Join(", ", bases[..^1])} and {bases[^1]}" : string.Join("", bases);
        Image(md, referenceAlt, SweepFigures.ReferenceFileName);

        foreach (var baseActivation in runs.Bases)
        {
            var name = Names.Of(baseActivation);
            md.Append(CultureInfo.InvariantCulture, $"## {name} base\n\n");
            foreach (var figure in SweepFigures.PerBase)
            {
                md.Append(figure.Caption).Append("\n\n");
                Image(md, figure.AltText(name), figure.FileName(baseActivation));
            }
        }

        md.Append("## Results\n\n").Append(ResultsTable.RunsTable(runs)).Append('\n');
        md.Append("### Mean test accuracy per base activation\n\n").Append(ResultsTable.BaseSummaryTable(runs)).Append('\n');
        md.Append("### Per configuration and arm, over seeds\n\n").Append(StatisticsTables.Markdown(runs)).Append('\n');
        md.Append(CultureInfo.InvariantCulture, $"### {FromScratchTable.Heading}\n\n").Append(FromScratchTable.Markdown(runs)).Append('\n');
        md.Append("### Shape per configuration and arm, over seeds\n\n").Append(StatisticsTables.ShapeMarkdown(runs)).Append('\n');
        if (ShapeFigures.DistanceMatrix(runs) is not null)
        {
            md.Append("### Learned functions compared\n\n");
            md.Append("The affine-invariant distance between every pair of learned functions (the error of the best fit of one as ");
            md.Append("alpha g(a z + c) + beta to the other, averaged over both directions), rows and columns ordered by average-linkage clustering:\n\n");
            Image(md, "clustered matrix of distances between learned functions", SweepFigures.DistanceMatrixFileName);
        }

        md.Append(Transfers(transfers)).Append('\n');
        md.Append(ClaimsSection.Build(runs, transfers)).Append('\n');
        md.Append("## Missing runs\n\n").Append(ResultsTable.MissingRuns(runs));
        return md.ToString();
    }

    /// <summary>The transfer sweeps whose source is this study (<c>learnact transfer</c>), finished or not, each with its table once it has one.</summary>
    private static string Transfers(IReadOnlyList<StudyTransfer> transfers)
    {
        var md = new StringBuilder(TransfersHeading).Append("\n\n");
        if (transfers.Count == 0)
        {
            md.Append("No transfer sweep takes its activations from this study yet (`learnact transfer` does); claim (h) below waits for one.\n");
            return md.ToString();
        }

        md.Append("The transfer sweeps that train this study's learned activations on other data (fixed, learned, frozen, finetuned and random-frozen arms; ");
        md.Append("docs/transfer-results.md). Each finished one's table of paired differences against `fixed` is copied beside this report; ");
        md.Append("claim (h) below is judged from the finished ones. The list is rebuilt when this study finishes and whenever one of its transfer sweeps finishes: a status is the one it had then.\n\n");
        ResultsTable.AppendRow(md, ["transfer sweep", "target data", "status", "runs completed", "table"]);
        ResultsTable.AppendRow(md, ["---", "---", "---", "---:", "---"]);
        foreach (var t in transfers)
        {
            var table = t.MarkdownFile is { } file ? $"[{file}]({file})" : $"when it finishes: `learnact results {t.SweepId}`";
            ResultsTable.AppendRow(md, [t.SweepId, t.Target, t.Status, string.Create(CultureInfo.InvariantCulture, $"{t.CompletedRuns} of {t.TotalRuns}"), table]);
        }

        return md.ToString();
    }

    private static void Image(StringBuilder md, string alt, string file) => md.Append(CultureInfo.InvariantCulture, $"![{alt}]({file})\n\n");
}
