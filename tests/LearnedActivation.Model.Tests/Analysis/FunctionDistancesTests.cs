using LearnedActivation.Model.Analysis;
using LearnedActivation.Model.Analysis.Comparison;

namespace LearnedActivation.Model.Tests.Analysis;

public sealed class FunctionDistancesTests
{
    private static readonly double[] X = [.. Enumerable.Range(0, 401).Select(i => -8 + (0.04 * i))];

    [Fact]
    public void AFunctionIsAtZeroDistanceFromAnAffineCopyOfItselfInOtherUnits()
    {
        // The second run sees inputs scaled by 2 and shifted by 1 (its statistics too) and outputs 3 f - 1: same shape.
        var f = Function("a", X, Math.Tanh, KnownStats.Symmetric);
        var shifted = new PreActivationStats(1000, -7, -3, -1, 1, 3, 5, 9, 1, 3);
        var g = Function("b", [.. X.Select(x => (2 * x) + 1)], x => (3 * Math.Tanh((x - 1) / 2)) - 1, shifted);

        Assert.True(FunctionDistances.Between(f, g) < 1e-3, $"distance {FunctionDistances.Between(f, g)}");
    }

    [Fact]
    public void DifferentShapesAreApartAndTheMatrixIsSymmetricWithAZeroDiagonal()
    {
        var tanh = Function("tanh", X, Math.Tanh, KnownStats.Symmetric);
        var relu = Function("relu", X, x => Math.Max(0, x), KnownStats.Symmetric);
        var square = Function("square", X, x => x * x, KnownStats.Symmetric);

        var d = FunctionDistances.Matrix([tanh, relu, square]);

        Assert.True(d[0, 1] > 0.1, $"tanh-relu {d[0, 1]}");
        Assert.True(d[0, 2] > d[0, 1], $"tanh-square {d[0, 2]} should exceed tanh-relu {d[0, 1]}");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(0.0, d[i, i]);
            for (var j = 0; j < 3; j++)
            {
                Assert.Equal(d[i, j], d[j, i]);
            }
        }
    }

    [Fact]
    public void TheFunctionIsSampledOverItsAnalysedIntervalInZUnitsAndContinuedLinearly()
    {
        var f = Function("f", [0.0, 1, 2], x => 2 * x, new PreActivationStats(10, 0, 0.2, 0.5, 1, 1.5, 1.8, 2, 1, 0.5));

        Assert.Equal(StandardisedFunction.ProfilePoints, f.Z.Count);
        Assert.Equal(-1.0, f.Z[0], 12);
        Assert.Equal(1.0, f.Z[^1], 12);
        // z = (x - 1) / 1, so f(z) = 2 (z + 1); beyond the sampled x the end segment's line continues.
        Assert.Equal(8.0, f.Evaluate(3.0), 12);
        Assert.Equal(-2.0, f.Evaluate(-2.0), 12);
    }

    [Theory]
    [InlineData(1.0, 0.0)]
    [InlineData(0.37, -0.8)]
    [InlineData(-1.6, 0.25)]
    [InlineData(2.5, 3.0)]
    [InlineData(-0.5, -4.0)]
    [InlineData(1e-9, 0.1)]
    public void EvaluatingAlongAnAffineMapIsEvaluatingEachPointToTheBit(double a, double c)
    {
        // A wiggly curve on uneven knots, probed inside, on the knots, between them and beyond both ends.
        double[] x = [.. Enumerable.Range(0, 301).Select(i => -6 + (0.04 * i) + (0.01 * Math.Sin(i)))];
        var f = Function("f", x, v => Math.Tanh(v) + (0.1 * Math.Sin(5 * v)), KnownStats.Symmetric);
        double[] probe = [.. f.Z, .. x.Select(f.ToZ), -50, 50];
        Array.Sort(probe);

        var along = new double[probe.Length];
        f.EvaluateAlong(a, c, probe, along);

        for (var i = 0; i < probe.Length; i++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(f.Evaluate((a * probe[i]) + c)), BitConverter.DoubleToInt64Bits(along[i]));
        }
    }

    [Fact]
    public void TheMatrixHoldsTheDistanceOfEveryPair()
    {
        StandardisedFunction[] functions =
        [
            Function("tanh", X, Math.Tanh, KnownStats.Symmetric),
            Function("relu", X, x => Math.Max(0, x), KnownStats.Symmetric),
            Function("bent", X, x => Math.Max(0.2 * x, Math.Tanh(x)), KnownStats.Symmetric),
        ];

        var d = FunctionDistances.Matrix(functions);

        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                Assert.Equal(i == j ? 0.0 : FunctionDistances.Between(functions[i], functions[j]), d[i, j]);
            }
        }
    }

    [Fact]
    public void StatisticsWithoutSpreadGiveNoFunction() =>
        Assert.Null(StandardisedFunction.From("f", [0.0, 1], [0.0, 1], new PreActivationStats(10, 0, 0, 0.5, 0.5, 0.5, 1, 1, 0.5, 0.1)));

    [Fact]
    public void AverageLinkagePutsClustersTogether()
    {
        // 0 and 2 are close, 1 and 3 are close, the pairs far apart.
        var d = new double[,]
        {
            { 0, 9, 1, 8 },
            { 9, 0, 9, 2 },
            { 1, 9, 0, 8 },
            { 8, 2, 8, 0 },
        };

        Assert.Equal([0, 2, 1, 3], AverageLinkage.LeafOrder(d));
    }

    private static StandardisedFunction Function(string name, double[] x, Func<double, double> f, PreActivationStats stats) =>
        StandardisedFunction.From(name, x, [.. x.Select(f)], stats)!;
}
