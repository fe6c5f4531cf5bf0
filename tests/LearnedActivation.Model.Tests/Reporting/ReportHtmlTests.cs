using System.Text.RegularExpressions;
using LearnedActivation.Model.Reporting;

namespace LearnedActivation.Model.Tests.Reporting;

public sealed partial class ReportHtmlTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void PageIsSelfContainedAndForbidsOutsideLoads()
    {
        SweepReport.Write(_directory.Path, "study", SweepRunsFixture.Study, SweepRunsFixture.AllCompleted());
        var html = File.ReadAllText(_directory.File(SweepReport.ReportHtmlFile));

        Assert.Contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:;", html, StringComparison.Ordinal);
        var sources = SourceAttribute().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(sources);
        Assert.All(sources, s => Assert.StartsWith("data:", s, StringComparison.Ordinal));

        // 17 report figures (reference, 5 per base, the distance matrix) and one figure per run, each a PNG.
        Assert.Equal(17 + 27, sources.Count(s => s.StartsWith("data:image/png;base64,", StringComparison.Ordinal)));
        var styles = StyleAttribute().Matches(html).Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.NotEmpty(styles);
        Assert.All(styles, s => Assert.Contains(s, ReportHtml.AlignmentStyles));
        var links = LinkAttribute().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.All(links, l => Assert.True(l.StartsWith('#') || l.StartsWith("data:", StringComparison.Ordinal), $"link {l} leaves the file"));
    }

    [Fact]
    public void PageHoldsEveryReportSectionAndLinksEachRunToItsFigure()
    {
        SweepReport.Write(_directory.Path, "study", SweepRunsFixture.Study, SweepRunsFixture.AllCompleted());
        var html = File.ReadAllText(_directory.File(SweepReport.ReportHtmlFile));
        var markdown = File.ReadAllText(_directory.File("report.md"));

        // Compared as text: Markdig leaves an apostrophe as it is, where HtmlEncode would write &#39;.
        var text = System.Net.WebUtility.HtmlDecode(html);
        foreach (var heading in markdown.Split('\n').Where(l => l.StartsWith('#')).Select(l => l.TrimStart('#').Trim()))
        {
            Assert.Contains(heading, text, StringComparison.Ordinal);
        }

        foreach (var run in SweepRunsFixture.AllCompleted())
        {
            Assert.Contains($"<a href=\"#run-{run.RunName}\">{run.RunName}</a>", html, StringComparison.Ordinal);
            Assert.Contains($"id=\"run-{run.RunName}\"", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void RawHtmlInARunErrorIsShownAsText()
    {
        var runs = SweepRunsFixture.Study.Select((c, i) => i == 0 ? SweepRunsFixture.Failed(c, "<script>alert(1)</script>") : SweepRunsFixture.Completed(c)).ToList();
        SweepReport.Write(_directory.Path, "study", SweepRunsFixture.Study, runs);
        var html = File.ReadAllText(_directory.File(SweepReport.ReportHtmlFile));

        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
    }

    [GeneratedRegex("<img src=\"([^\"]*)\"")]
    private static partial Regex SourceAttribute();

    [GeneratedRegex(" style=\"([^\"]*)\"")]
    private static partial Regex StyleAttribute();

    [GeneratedRegex("<a href=\"([^\"]*)\"")]
    private static partial Regex LinkAttribute();
}
