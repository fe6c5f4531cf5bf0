using LearnedActivation.Model.Plots;

namespace LearnedActivation.Model.Tests.Plots;

public class PlotDataTests
{
    [Fact]
    public void RangeFromSamplesIsWidenedPercentileRange()
    {
        // 1..100: 0.5th percentile 1.495, 99.5th 99.505 (linear interpolation); widened by 10 % of 98.01.
        var samples = Enumerable.Range(1, 100).Select(i => (double)i).Reverse().ToArray();

        var range = XRange.FromSamples(samples);

        Assert.Equal(1.495 - 9.801, range.Min, 9);
        Assert.Equal(99.505 + 9.801, range.Max, 9);
    }

    [Fact]
    public void RangeIsNeverNarrowerThanMinusThreeToThree()
    {
        var narrow = XRange.FromSamples([-0.5, 0.1, 0.5]);
        var oneSided = XRange.FromSamples(Enumerable.Range(0, 101).Select(i => i / 10.0).ToArray());

        Assert.Equal(new XRange(-3, 3), narrow);
        Assert.Equal(-3, oneSided.Min);
        Assert.True(oneSided.Max > 10);
        Assert.Equal(XRange.Default, XRange.FromSamples([]));
    }

    [Fact]
    public void TheLearnedActivationIsDrawnOverThePreActivationsTrimmedRange()
    {
        // Pre-activations spread to +-8 plus one far outlier: the figure covers the spread, not the outlier.
        var samples = Enumerable.Range(-800, 1601).Select(i => i / 100.0).Append(500).ToArray();

        var range = LearnedActivationFigure.XRangeFor(samples);

        Assert.Equal(XRange.FromSamples(samples, 0.5, 99.5, 0.1), range);
        Assert.InRange(range.Max, 8, 10);
        Assert.InRange(range.Min, -10, -8);
        Assert.Equal(XRange.Default, LearnedActivationFigure.XRangeFor([0.1, -0.2]));
    }

    [Fact]
    public void RangeIgnoresRareOutliersAndNonFiniteSamples()
    {
        var samples = SyntheticRuns.Normal(10_000, 0, 1, seed: 3).Append(1e6).Append(double.NaN).Append(double.PositiveInfinity).ToArray();

        var range = XRange.FromSamples(samples);

        Assert.InRange(range.Max, 3, 4);
        Assert.InRange(range.Min, -4, -3);
    }

    [Fact]
    public void LinspaceIncludesBothEndsEvenly()
    {
        Assert.Equal([-1.0, -0.5, 0, 0.5, 1], new XRange(-1, 1).Linspace(5));
        Assert.Throws<ArgumentException>(() => new XRange(1, 1));
    }

    [Fact]
    public void HistogramBinsSamplesInRangeAndGivesDensity()
    {
        var histogram = ValueHistogram.FromSamples([-1, -0.5, 0, 0.5, 1, 5, double.NaN], new XRange(-1, 1), bins: 2);

        Assert.Equal([-1.0, 0, 1], histogram.Edges);
        Assert.Equal([2.0, 3], histogram.Counts);
        Assert.Equal([0.4, 0.6], histogram.Density());
    }

    [Fact]
    public void HistogramRejectsCountsThatDoNotMatchEdges()
    {
        Assert.Throws<ArgumentException>(() => new ValueHistogram([0, 1, 2], [1]));
        Assert.Throws<ArgumentException>(() => new ValueHistogram([0, 1], [-1]));
    }

    [Fact]
    public void CurveRejectsBadDataNamingTheCurve()
    {
        var nan = Assert.Throws<ArgumentException>(() => new FunctionCurve("diverged", [0, 1], [0, double.NaN]));
        Assert.Contains("diverged", nan.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new FunctionCurve("short", [0, 1, 2], [0, 1]));
        Assert.Throws<ArgumentException>(() => new FunctionCurve("unsorted", [0, 2, 1], [0, 1, 2]));
        Assert.Throws<ArgumentException>(() => new FunctionCurve("single", [0], [0]));
    }

    [Fact]
    public void PlotFontIsInstalledAndHasTheGlyphsFiguresUse()
    {
        // If this fails, text in figures renders blank or as boxes: install a font (fonts-dejavu-core).
        var typeface = ScottPlot.Fonts.GetTypeface(PlotFonts.Family, bold: false, italic: false);

        Assert.Equal(PlotFonts.Family, typeface.FamilyName);
        Assert.True(typeface.ContainsGlyphs("learned activation: tanh base, outer small / act medium -0.123456789 (BCE)"));
    }
}
