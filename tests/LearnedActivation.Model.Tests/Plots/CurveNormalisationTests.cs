using LearnedActivation.Model.Plots;

namespace LearnedActivation.Model.Tests.Plots;

public class CurveNormalisationTests
{
    [Fact]
    public void LineMapsToKnownValues()
    {
        // Trapezoid weights 0.5, 1, 0.5 over length 2: mean 2, variance (0.5 + 0 + 0.5) / 2 = 0.5.
        var result = CurveNormalisation.Affine(new FunctionCurve("line", [-1, 0, 1], [1, 2, 3]));

        Assert.Equal(-Math.Sqrt(2), result.Y[0], 12);
        Assert.Equal(0.0, result.Y[1], 12);
        Assert.Equal(Math.Sqrt(2), result.Y[2], 12);
        Assert.Equal("line", result.Label);
        Assert.Equal([-1.0, 0, 1], result.X);
    }

    [Fact]
    public void AnyScaleOffsetOrSignOfTheSameShapeGivesTheSameCurve()
    {
        // A non-uniform grid too: weights follow spacing, so the result does not depend on sampling.
        var x = new[] { -3.0, -2.5, -1.0, -0.2, 0.0, 0.1, 0.9, 2.0, 3.0 };
        var shape = CurveNormalisation.Affine(FunctionCurve.Sample("tanh", x, Math.Tanh));
        var scaled = CurveNormalisation.Affine(FunctionCurve.Sample("scaled", x, v => 3 + (2 * Math.Tanh(v))));
        var flipped = CurveNormalisation.Affine(FunctionCurve.Sample("flipped", x, v => -5 - (0.5 * Math.Tanh(v))));

        for (var i = 0; i < x.Length; i++)
        {
            Assert.Equal(shape.Y[i], scaled.Y[i], 12);
            Assert.Equal(shape.Y[i], flipped.Y[i], 12);
        }
    }

    [Fact]
    public void ResultHasZeroMeanUnitStdAndRisesOnAverage()
    {
        var x = new XRange(-4, 4).Linspace(801);
        var result = CurveNormalisation.Affine(FunctionCurve.Sample("falling", x, v => 7 - (v * v * v) + Math.Sin(3 * v)));

        var h = x[1] - x[0];
        double Integral(Func<int, double> f) => Enumerable.Range(0, x.Length).Sum(i => f(i) * (i == 0 || i == x.Length - 1 ? h / 2 : h)) / 8.0;
        var mean = Integral(i => result.Y[i]);
        var variance = Integral(i => result.Y[i] * result.Y[i]);
        Assert.Equal(0.0, mean, 10);
        Assert.Equal(1.0, variance, 10);
        Assert.True(result.Y[^1] > result.Y[0], "a falling curve must be flipped to rise");
    }

    [Fact]
    public void ConstantCurveHasNoShapeAndMapsToZeros()
    {
        var result = CurveNormalisation.Affine(new FunctionCurve("flat", [0, 1, 2], [4, 4, 4]));

        Assert.Equal([0.0, 0, 0], result.Y);
    }
}
