using LearnedActivation.Model.Analysis;

namespace LearnedActivation.Model.Tests.Analysis;

/// <summary>The shape measures on functions whose answers are known, without any network.</summary>
public sealed class ShapeAnalysisTests
{
    private static readonly PreActivationStats Stats = KnownStats.Symmetric;

    [Theory]
    [InlineData("tanh")]
    [InlineData("cubic")]
    [InlineData("decreasing")]
    public void AMonotoneFunctionHasTotalVariationOneAndNoExtrema(string name)
    {
        Func<double, double> f = name switch
        {
            "tanh" => Math.Tanh,
            "cubic" => x => (x * x * x) + x,
            _ => x => -Math.Exp(x),
        };

        var shape = Measure(f);

        Assert.Equal(1, shape.TotalVariation, 1e-9);
        Assert.Empty(shape.Extrema);
        Assert.Null(shape.Dominant);
    }

    [Fact]
    public void ASymmetricFunctionHasAsymmetryZeroAndEqualTails()
    {
        var shape = Measure(x => x * x);

        Assert.Equal(0, shape.Asymmetry, 1e-9);
        Assert.Equal(shape.Tails.Left, shape.Tails.Right, 1e-9);
        // Over [-4, 4] x^2 rises by 16 twice: total variation 32 / R 16.
        Assert.Equal(2, shape.TotalVariation, 1e-9);
        var minimum = Assert.Single(shape.Extrema);
        Assert.Equal(new Extremum(0, 0, ExtremumKind.Min, 1), minimum with { X = Math.Round(minimum.X, 12), Z = Math.Round(minimum.Z, 12) });
        Assert.NotNull(shape.Dominant);
        Assert.Equal(0.5, shape.Dominant.Quantile, 12);
    }

    [Fact]
    public void AsymmetryIsTheLogRatioOfTheMeanSlopesRightAndLeftOfTheMedian()
    {
        // Slope 1 left of 0, slope 4 right of it: log2(4) = 2.
        var shape = Measure(x => x < 0 ? x : 4 * x);

        Assert.Equal(2, shape.Asymmetry, 9);
    }

    [Fact]
    public void AFunctionFlatOnTheLeftHasAFlatLeftTail()
    {
        var shape = Measure(x => Math.Max(x, 0));

        Assert.True(shape.Tails.LeftFlat);
        Assert.False(shape.Tails.RightFlat);
        Assert.Equal(0, shape.Tails.Left);
        // Mean slope over [2, 4] is 1; R / |I| = 4 / 8.
        Assert.Equal(2, shape.Tails.Right, 9);
        Assert.Equal(double.PositiveInfinity, shape.Asymmetry);
        // The flat part touches the interval's end, so it is no minimum.
        Assert.Empty(shape.Extrema);
        Assert.Equal(1, shape.TotalVariation, 1e-9);
    }

    [Fact]
    public void ProminenceIsTopographic()
    {
        // cos over [-4, 4]: the maximum at 0 stands R above both minima; each minimum at ±pi rises only to
        // cos(4) on its outer side before the interval ends, so its prominence is (1 + cos 4) / 2 of R = 2.
        var shape = Measure(Math.Cos);

        var side = (1 + Math.Cos(4)) / 2;
        Assert.Equal([ExtremumKind.Min, ExtremumKind.Max, ExtremumKind.Min], shape.Extrema.Select(e => e.Kind));
        Assert.Equal([-Math.PI, 0, Math.PI], shape.Extrema.Select(e => e.X), new Tolerance(0.002));
        Assert.Equal([side, 1, side], shape.Extrema.Select(e => e.Prominence), new Tolerance(1e-5));
        Assert.Equal([-Math.PI / 2, 0, Math.PI / 2], shape.Extrema.Select(e => e.Z), new Tolerance(0.001));
        Assert.NotNull(shape.Dominant);
        Assert.Equal(ExtremumKind.Max, shape.Dominant.Kind);
        Assert.Equal(0, shape.Dominant.X, 9);
    }

    [Theory]
    [InlineData(0.05, 0)]
    [InlineData(0.6, 2)]
    public void RipplesBelowTwoPercentOfTheRangeAreNotExtrema(double depth, int expected)
    {
        // A rising line (R about 8) with a narrow notch: 0.05 deep is under 1% of R, 0.6 deep makes a minimum and a maximum.
        var shape = Measure(x => x - (depth * Math.Exp(-Math.Pow((x - 1) / 0.05, 2))));

        Assert.Equal(expected, shape.Extrema.Count);
    }

    [Fact]
    public void AFlatBottomIsOneMinimumAtItsMiddle()
    {
        var shape = Measure(x => Math.Max(Math.Abs(x - 1) - 0.5, 0));

        var minimum = Assert.Single(shape.Extrema);
        Assert.Equal(ExtremumKind.Min, minimum.Kind);
        Assert.Equal(1, minimum.X, 9);
        Assert.Equal(0.5, minimum.Z, 9);
    }

    [Fact]
    public void AConstantFunctionHasNoShape()
    {
        var shape = Measure(_ => 3);

        Assert.Empty(shape.Extrema);
        Assert.Equal(0, shape.TotalVariation);
        Assert.Equal(0, shape.Asymmetry);
        Assert.True(shape.Tails.LeftFlat && shape.Tails.RightFlat);
    }

    [Fact]
    public void MeanAbsSlopeIsExactForThePiecewiseLinearInterpolantBetweenGridPoints()
    {
        double[] x = [0, 1, 2];
        double[] f = [0, 2, 1];

        // Over [0.5, 1.5]: half a unit at slope 2 and half at slope 1.
        Assert.Equal(1.5, ShapeAnalysis.MeanAbsSlope(x, f, 0.5, 1.5), 12);
        Assert.Equal(0, ShapeAnalysis.MeanAbsSlope(x, f, 1, 1));
    }

    private static ActivationShape Measure(Func<double, double> f)
    {
        var (x, y) = KnownStats.Sample(Stats, f);
        return ShapeAnalysis.Measure(x, y, Stats);
    }

    private sealed class Tolerance(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= tolerance;

        public int GetHashCode(double value) => 0;
    }
}
