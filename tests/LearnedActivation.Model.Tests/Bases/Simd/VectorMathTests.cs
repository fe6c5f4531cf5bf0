using System.Runtime.Intrinsics;
using LearnedActivation.Model.Bases;
using LearnedActivation.Model.Bases.Simd;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Networks;

namespace LearnedActivation.Model.Tests.Bases.Simd;

/// <summary>The fused kernel's vector functions against double-precision references over a dense range.</summary>
public sealed class VectorMathTests
{
    private static readonly float[] Points = [.. Enumerable.Range(-40_000, 80_001).Select(i => i / 2000f)];

    [Fact]
    public void TanhIsWithinTwoTenMillionthsEverywhere()
    {
        var worst = Worst(VectorMath.Tanh, Math.Tanh, relative: false);

        Assert.True(worst < 2e-7, $"max abs error {worst:E2}");
    }

    [Fact]
    public void TanhKeepsItsRelativeAccuracyNearZero()
    {
        float[] small = [1e-6f, -3e-5f, 1e-3f, 0.05f, -0.1f, 0.124f, 0.126f, 0.3f];
        var values = Apply(VectorMath.Tanh, small);

        for (var i = 0; i < small.Length; i++)
        {
            Assert.Equal(Math.Tanh(small[i]), values[i], Math.Abs(Math.Tanh(small[i])) * 5e-7);
        }
    }

    [Fact]
    public void ExpIsWithinAFewUlpsOverTheRangeTheKernelUses()
    {
        var worst = Worst(VectorMath.Exp, Math.Exp, relative: true);

        Assert.True(worst < 3e-7, $"max relative error {worst:E2}");
    }

    [Fact]
    public void ErfIsWithinFiveTenMillionths()
    {
        var worst = Worst(x => VectorMath.Erf(x, VectorMath.Exp(-x * x)), BaseActivationMath.Erf, relative: false);

        Assert.True(worst < 5e-7, $"max abs error {worst:E2}");
    }

    [Theory]
    [InlineData(BaseActivation.Tanh)]
    [InlineData(BaseActivation.Relu)]
    [InlineData(BaseActivation.Gelu)]
    [InlineData(BaseActivation.Silu)]
    public void ActivateGivesTheBaseAndItsDerivative(BaseActivation baseActivation)
    {
        var z = Points.Where((_, i) => i % 50 == 0).Take(1600).ToArray();
        var values = z.ToArray();
        var slopes = new float[z.Length];

        LaneForms.Activate256(baseActivation, values, slopes);

        for (var i = 0; i < z.Length; i++)
        {
            Assert.Equal(BaseActivations.Of(baseActivation).Evaluate(z[i]), values[i], 3e-7 * Math.Max(1, Math.Abs(z[i])));
            var h = 1e-4;
            var numeric = (BaseActivations.Of(baseActivation).Evaluate(z[i] + h) - BaseActivations.Of(baseActivation).Evaluate(z[i] - h)) / (2 * h);
            if (!(baseActivation == BaseActivation.Relu && Math.Abs(z[i]) < h))
            {
                Assert.Equal(numeric, slopes[i], 1e-5);
            }
        }
    }

    private static double Worst(Func<Vector256<float>, Vector256<float>> function, Func<double, double> reference, bool relative)
    {
        var values = Apply(function, Points);
        var worst = 0.0;
        for (var i = 0; i < Points.Length; i++)
        {
            var expected = reference(Points[i]);
            var error = Math.Abs(values[i] - expected) / (relative ? expected : 1);
            worst = Math.Max(worst, error);
        }

        return worst;
    }

    private static float[] Apply(Func<Vector256<float>, Vector256<float>> function, float[] points)
    {
        var result = new float[points.Length];
        var padded = new float[8];
        for (var i = 0; i < points.Length; i += 8)
        {
            Array.Clear(padded);
            Array.Copy(points, i, padded, 0, Math.Min(8, points.Length - i));
            var output = function(Vector256.Create(padded));
            for (var lane = 0; lane < 8 && i + lane < points.Length; lane++)
            {
                result[i + lane] = output[lane];
            }
        }

        return result;
    }
}
