using LearnedActivation.Model.Analysis;

namespace LearnedActivation.Model.Tests.Analysis;

/// <summary>
/// A reported error must not be beaten by a better fit of the same g: checked by perturbing each reported (a, c)
/// and by a dense brute-force grid, both scoring (a, c) with their own closed-form alpha and beta.
/// </summary>
public class NearestFunctionOptimalityTests
{
    // Learned-looking shapes: a dip off zero with uneven sides, a saturating curve with a bump, a one-sided flat tail.
    public static TheoryData<int> Shapes => [0, 1, 2];

    [Theory]
    [MemberData(nameof(Shapes))]
    public void NoPerturbationOfAReportedOptimumFitsBetter(int shape)
    {
        var x = Grid(-2.5, 3.5, 2001);
        var f = x.Select(v => Shape(shape, v)).ToArray();
        var span = x[^1] - x[0];

        foreach (var fit in NearestFunction.FitAll(x, f))
        {
            var g = (double z) => NearestFunction.Evaluate(fit.Function, z);

            // The reported error is that of the reported parameters.
            Assert.Equal(fit.Error, DirectError(g, x, f, fit), 1e-12);
            Assert.Equal(ProfiledError(g, x, f, fit.A, fit.C), fit.Error, 1e-12);

            foreach (var step in new[] { 1e-4, 1e-3, 1e-2, 1e-1, 0.5 })
            {
                for (var direction = 0; direction < 8; direction++)
                {
                    var angle = direction * Math.PI / 4;
                    var a = fit.A * (1 + (step * Math.Cos(angle)));
                    var c = fit.C + (step * Math.Sin(angle) * (1 + (Math.Abs(fit.A) * span)));
                    var error = ProfiledError(g, x, f, a, c);
                    Assert.True(error >= fit.Error - 1e-9, $"{fit.Function} shape {shape}: {error} at a={a}, c={c} beats {fit}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ADenseGridFindsNoBetterFitOnASmallProblem(int shape)
    {
        var x = Grid(-2, 2, 41);
        var f = x.Select(v => Shape(shape, v)).ToArray();
        var logScales = Grid(Math.Log(0.01), Math.Log(300), 90);
        var bends = Grid(-5, 5, 161);

        foreach (var fit in NearestFunction.FitAll(x, f))
        {
            var g = (double z) => NearestFunction.Evaluate(fit.Function, z);
            var best = double.PositiveInfinity;
            foreach (var sign in new[] { 1.0, -1.0 })
            {
                foreach (var logScale in logScales)
                {
                    var a = sign * Math.Exp(logScale);
                    foreach (var bend in bends)
                    {
                        best = Math.Min(best, ProfiledError(g, x, f, a, -a * bend));
                    }
                }
            }

            Assert.True(best >= fit.Error - 1e-9, $"{fit.Function} shape {shape}: grid finds {best}, reported {fit}");
        }
    }

    private static double Shape(int shape, double v) => shape switch
    {
        0 => (0.4 * v) - (1.2 * Math.Exp(-2 * (v - 0.3) * (v - 0.3))),
        1 => Math.Tanh(1.5 * v) + (0.5 * Math.Exp(-4 * (v + 0.8) * (v + 0.8))),
        _ => v < 0.2 ? 0.05 * Math.Sin(3 * v) : (v - 0.2) * (v - 0.2) * 1.3,
    };

    private static double DirectError(Func<double, double> g, double[] x, double[] f, NearestFit fit)
    {
        var residuals = x.Select((v, i) => f[i] - (fit.Alpha * g((fit.A * v) + fit.C)) - fit.Beta);
        return Math.Sqrt(residuals.Average(r => r * r)) / StandardDeviation(f);
    }

    /// <summary>RMS of f minus its least-squares fit alpha * g(a x + c) + beta, over SD(f).</summary>
    private static double ProfiledError(Func<double, double> g, double[] x, double[] f, double a, double c)
    {
        var h = x.Select(v => g((a * v) + c)).ToArray();
        var (hMean, fMean) = (h.Average(), f.Average());
        var cross = h.Select((v, i) => (v - hMean) * (f[i] - fMean)).Sum();
        var squares = h.Sum(v => (v - hMean) * (v - hMean));
        var alpha = squares > 1e-24 * h.Length * h.Max(Math.Abs) * h.Max(Math.Abs) ? cross / squares : 0.0;
        var residuals = h.Select((v, i) => f[i] - fMean - (alpha * (v - hMean)));
        return Math.Sqrt(residuals.Average(r => r * r)) / StandardDeviation(f);
    }

    private static double StandardDeviation(double[] f)
    {
        var mean = f.Average();
        return Math.Sqrt(f.Average(v => (v - mean) * (v - mean)));
    }

    private static double[] Grid(double lo, double hi, int n) => [.. Enumerable.Range(0, n).Select(i => lo + ((hi - lo) * i / (n - 1)))];
}
