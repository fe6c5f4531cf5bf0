using LearnedActivation.Model.Analysis;

namespace LearnedActivation.Model.Tests.Analysis;

public class NearestFunctionTests
{
    private const double ExactFit = 1e-6;

    private static readonly string[] SmoothMinimum = ["gelu", "silu", "mish"];
    private static readonly string[] Monotone = ["tanh", "relu", "elu", "softplus"];

    public static TheoryData<string> DistinctCandidates =>
        ["leaky_relu", "elu", "softplus", "gelu", "silu", "mish", "abs", "square"];

    [Fact]
    public void CandidatesAreTheTwelveInReportOrder()
    {
        Assert.Equal(
            ["identity", "tanh", "sigmoid", "relu", "leaky_relu", "elu", "softplus", "gelu", "silu", "mish", "abs", "square"],
            NearestFunction.Candidates);
    }

    [Fact]
    public void AnAffineTanhIsTanhWithItsParametersAndSigmoidTies()
    {
        var x = Grid(-3, 3, 2001);
        var fits = ByName(NearestFunction.FitAll(x, [.. x.Select(v => (3 * Math.Tanh((2 * v) + 1)) - 1)]));

        var tanh = fits["tanh"];
        Assert.True(tanh.Error < ExactFit, $"tanh error {tanh.Error}");
        Assert.Equal(2.0, tanh.A, 1e-5);
        Assert.Equal(1.0, tanh.C, 1e-5);
        Assert.Equal(3.0, tanh.Alpha, 1e-5);
        Assert.Equal(-1.0, tanh.Beta, 1e-5);

        // sigmoid(z) = (1 + tanh(z / 2)) / 2: the same function up to the affine freedom.
        var sigmoid = fits["sigmoid"];
        Assert.True(sigmoid.Error < ExactFit, $"sigmoid error {sigmoid.Error}");
        Assert.Equal(4.0, sigmoid.A, 1e-5);
        Assert.Equal(6.0, sigmoid.Alpha, 1e-5);

        Assert.All(fits.Values.Where(r => r.Function is not ("tanh" or "sigmoid")), r => Assert.True(r.Error > 1e-3, $"{r.Function} {r.Error}"));
    }

    [Fact]
    public void AShiftedScaledReluIsRelu()
    {
        var x = Grid(-3, 3, 2001);
        var relu = NearestFunction.Fit("relu", x, [.. x.Select(v => 2 * Math.Max(v - 0.5, 0))]);

        Assert.True(relu.Error < ExactFit, $"relu error {relu.Error}");
        Assert.True(relu.A > 0);
        Assert.Equal(0.5, -relu.C / relu.A, 1e-6);
        Assert.Equal(2.0, relu.Alpha * relu.A, 1e-6);
        Assert.Equal(0.0, relu.Beta, 1e-6);
    }

    [Theory]
    [MemberData(nameof(DistinctCandidates))]
    public void AnAffineImageOfACandidateIsNearestToItself(string function)
    {
        var x = Grid(-3, 3, 2001);
        var f = x.Select(v => (1.5 * NearestFunction.Evaluate(function, (0.8 * v) - 0.3)) + 0.2).ToArray();
        var fits = NearestFunction.FitAll(x, f);

        var own = fits.Single(r => r.Function == function);
        Assert.True(own.Error < ExactFit, $"{function} error {own.Error}");
        var fitted = x.Select(v => (own.Alpha * NearestFunction.Evaluate(function, (own.A * v) + own.C)) + own.Beta);
        Assert.All(f.Zip(fitted), p => Assert.Equal(p.First, p.Second, 1e-5));

        var runnerUp = fits.Where(r => r.Function != function).MinBy(r => r.Error)!;
        Assert.True(runnerUp.Error > 1e-4, $"{runnerUp.Function} fits {function} to {runnerUp.Error}");
    }

    [Fact]
    public void ASquareIsSquareAndNotAbs()
    {
        var x = Grid(-3, 3, 2001);
        var fits = ByName(NearestFunction.FitAll(x, [.. x.Select(v => v * v)]));

        Assert.True(fits["square"].Error < 1e-9, $"square error {fits["square"].Error}");
        Assert.True(fits["abs"].Error > 0.05, $"abs error {fits["abs"].Error}");

        // gelu, silu and mish have a smooth minimum, which looks like a parabola as a -> 0: their infimum is 0 too,
        // reached only in that limit (the search keeps |a| above 1e-3 of x's half-range), so small but not ~0.
        Assert.All(SmoothMinimum, name => Assert.True(fits[name].Error < 2e-3, fits[name].ToString()));
        Assert.All(Monotone, name => Assert.True(fits[name].Error > 0.5, fits[name].ToString()));
    }

    [Fact]
    public void AConstantHasErrorZeroForAllWithAlphaZero()
    {
        var x = Grid(-3, 3, 101);
        var fits = NearestFunction.FitAll(x, [.. x.Select(_ => 1.25)]);

        Assert.Equal(NearestFunction.Candidates, fits.Select(r => r.Function));
        Assert.All(fits, r =>
        {
            Assert.Equal(0.0, r.Error);
            Assert.Equal(0.0, r.Alpha);
            Assert.Equal(1.25, r.Beta, 1e-15);
            Assert.True(double.IsFinite(r.A) && double.IsFinite(r.C));
        });
    }

    [Fact]
    public void ALinearFunctionIsIdentityAndNoCandidateReportsNaN()
    {
        var x = Grid(-1, 4, 501);
        var fits = ByName(NearestFunction.FitAll(x, [.. x.Select(v => (-0.7 * v) + 3)]));

        Assert.True(fits["identity"].Error < 1e-12);
        Assert.All(fits.Values, r => Assert.True(
            double.IsFinite(r.Error) && double.IsFinite(r.A) && double.IsFinite(r.C) && double.IsFinite(r.Alpha) && double.IsFinite(r.Beta),
            r.ToString()));

        // Every candidate reaches the line in a limit (a -> 0, or the bend outside the data).
        Assert.All(fits.Values, r => Assert.True(r.Error < 1e-3, r.ToString()));
    }

    [Theory]
    [InlineData("tanh")]
    [InlineData("sigmoid")]
    [InlineData("gelu")]
    [InlineData("square")]
    public void FittingOneCandidateGivesItsFitAmongAll(string function)
    {
        var x = Grid(-2, 3, 1001);
        var f = x.Select(v => (0.3 * v) - Math.Exp(-3 * (v - 0.4) * (v - 0.4))).ToArray();

        Assert.Equal(NearestFunction.FitAll(x, f).Single(r => r.Function == function), NearestFunction.Fit(function, x, f));
    }

    [Fact]
    public void AnyFunctionCanBeTheCandidate()
    {
        // A learned function compared with another: here an affine image of a known shape against the shape itself.
        var x = Grid(-2, 2, 801);
        static double Shape(double v) => Math.Tanh(v) + (0.3 * Math.Exp(-v * v));
        var fit = NearestFunction.Fit("other run", Shape, x, [.. x.Select(v => (-2 * Shape((0.5 * v) + 0.4)) + 1)]);

        Assert.Equal("other run", fit.Function);
        Assert.True(fit.Error < ExactFit, fit.ToString());
        Assert.Equal(0.5, fit.A, 1e-5);
        Assert.Equal(0.4, fit.C, 1e-5);
        Assert.Equal(-2.0, fit.Alpha, 1e-5);
    }

    [Fact]
    public void BadInputIsRejected()
    {
        double[] x = [0, 1, 2, 3];
        Assert.Throws<ArgumentException>(() => NearestFunction.FitAll(x, [1, 2, 3]));
        Assert.Throws<ArgumentException>(() => NearestFunction.FitAll([0, 1], [1, 2]));
        Assert.Throws<ArgumentException>(() => NearestFunction.FitAll(x, [1, double.NaN, 3, 4]));
        Assert.Throws<ArgumentException>(() => NearestFunction.FitAll([0, 1, double.PositiveInfinity, 3], [1, 2, 3, 4]));
        Assert.Throws<ArgumentException>(() => NearestFunction.FitAll([1, 1, 1], [1, 2, 3]));
        Assert.Throws<ArgumentException>(() => NearestFunction.Fit("swish2", x, [1, 2, 3, 4]));
    }

    private static double[] Grid(double lo, double hi, int n) => [.. Enumerable.Range(0, n).Select(i => lo + ((hi - lo) * i / (n - 1)))];

    private static Dictionary<string, NearestFit> ByName(IReadOnlyList<NearestFit> fits) => fits.ToDictionary(r => r.Function);
}
