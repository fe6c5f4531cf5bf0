using System.Text;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Reporting.Claims;
using LearnedActivation.Model.Reporting.Statistics;
using LearnedActivation.Model.Reporting.Transfer;

namespace LearnedActivation.Model.Reporting;

/// <summary>The report's section that checks the original write-up's claims (a)-(h) against this sweep's numbers.</summary>
internal static class ClaimsSection
{
    public const string Heading = "## The original study's claims, checked";

    public static string Build(SweepRuns runs, IReadOnlyList<StudyTransfer> transfers)
    {
        var claims = StudyClaims.Check(runs, ArmStatistics.Of(runs.Rows), transfers);
        var md = new StringBuilder();
        md.Append(Heading).Append("\n\n");
        md.Append("Each claim of the original write-up, turned into a measure over every run and seed of this sweep. Shapes are measured in the ");
        md.Append("pre-activations' own units (z = (x - p50) / (p75 - p25)) and up to the affine freedom alpha f(a x + c) + beta that the ");
        md.Append("surrounding layers absorb; a difference counts only when its 95 % interval excludes zero, a share only when its 95 % ");
        md.Append("Wilson interval lies beyond the share the claim's wording implies.\n\n");
        ResultsTable.AppendRow(md, ["claim", "verdict", "numbers", "figures"]);
        ResultsTable.AppendRow(md, ["---", "---", "---", "---"]);
        foreach (var claim in claims)
        {
            var figures = string.Join(", ", claim.Figures.SelectMany(f => Expand(f, runs.Bases)).Select(f => $"[{f}]({f})"));
            ResultsTable.AppendRow(md, [$"({claim.Letter}) {claim.Statement}", $"**{Claim.Name(claim.Verdict)}**", claim.Evidence, figures.Length > 0 ? figures : "-"]);
        }

        return md.ToString();
    }

    private static IEnumerable<string> Expand(string figure, IReadOnlyList<BaseActivation> bases) =>
        figure.Contains("{base}", StringComparison.Ordinal) ? bases.Select(b => figure.Replace("{base}", Names.Of(b), StringComparison.Ordinal)) : [figure];
}
