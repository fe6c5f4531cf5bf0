using System.Globalization;
using System.Text;
using LearnedActivation.Model.Configuration;

namespace LearnedActivation.Model.Reporting;

/// <summary>report.md: the sweep's figures and tables on one page, images linked by relative path so the folder can be moved or published as is.</summary>
internal static class ReportMarkdown
{
    public const string FileName = "report.md";

    public static string Build(string sweepId, SweepRuns runs)
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
        md.Append("### Shape per configuration and arm, over seeds\n\n").Append(StatisticsTables.ShapeMarkdown(runs)).Append('\n');
        if (ShapeFigures.DistanceMatrix(runs) is not null)
        {
            md.Append("### Learned functions compared\n\n");
            md.Append("The affine-invariant distance between every pair of learned functions (the error of the best fit of one as ");
            md.Append("alpha g(a z + c) + beta to the other, averaged over both directions), rows and columns ordered by average-linkage clustering:\n\n");
            Image(md, "clustered matrix of distances between learned functions", SweepFigures.DistanceMatrixFileName);
        }

        md.Append(ClaimsSection.Build(runs)).Append('\n');
        md.Append("## Missing runs\n\n").Append(ResultsTable.MissingRuns(runs));
        return md.ToString();
    }

    private static void Image(StringBuilder md, string alt, string file) => md.Append(CultureInfo.InvariantCulture, $"![{alt}]({file})\n\n");
}
