using System.Runtime.Intrinsics;
using LearnedActivation.Model.Bases;
using LearnedActivation.Model.Bases.Simd;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Tests.Support;

namespace LearnedActivation.Model.Tests.Bases;

/// <summary>The table-driven GELU of the AVX-512 path: where its coefficients come from, and how close it is.</summary>
public sealed class GeluPiecesTests
{
    [Fact]
    public void TheTableIsTheChebyshevInterpolantOfTheBumpRoundedToFloat()
    {
        var nodes = Enumerable.Range(0, GeluPieces.Degree + 1).Select(j => 0.5 * Math.Cos(Math.PI * (j + 0.5) / (GeluPieces.Degree + 1))).ToArray();
        var table = GeluPieces.Coefficients.ToArray();

        Assert.Equal((GeluPieces.Degree + 1) * GeluPieces.Pieces, table.Length);
        for (var piece = 0; piece < GeluPieces.Pieces; piece++)
        {
            var coefficients = Interpolate(nodes, [.. nodes.Select(t => Bump((piece + 0.5 + t) / GeluPieces.Scale))]);
            for (var k = 0; k <= GeluPieces.Degree; k++)
            {
                Assert.Equal((float)coefficients[k], table[(k * GeluPieces.Pieces) + piece]);
            }
        }
    }

    [SkippableFact]
    public void ValueAndSlopeAreWithinAboutAnUlpEverywhere()
    {
        Avx512Required.SkipUnlessFoundation();

        var worstValue = 0.0;
        var worstSlope = 0.0;
        var z = new float[16];
        for (var i = -40 * 4096; i < 40 * 4096; i += 16)
        {
            for (var lane = 0; lane < 16; lane++)
            {
                z[lane] = (i + lane) / 4096f;
            }

            var value = VectorMath512.Gelu(Vector512.Create(z), out var slope);
            Assert.Equal(value, VectorMath512.Gelu(Vector512.Create(z)));
            for (var lane = 0; lane < 16; lane++)
            {
                double x = z[lane];
                worstValue = Math.Max(worstValue, Math.Abs(value[lane] - BaseActivations.Of(BaseActivation.Gelu).Evaluate(x)) / Math.Max(1, Math.Abs(x)));
                worstSlope = Math.Max(worstSlope, Math.Abs(slope[lane] - GeluSlope(x)));
            }
        }

        // Measured 6.2e-8 and 1.4e-7; the erfc-based formula it replaced was at 1.8e-7 and 2.6e-7.
        Assert.True(worstValue < 1e-7, $"value error {worstValue:E2} (relative to max(1, |z|))");
        Assert.True(worstSlope < 2e-7, $"slope error {worstSlope:E2}");
    }

    [SkippableFact]
    public void BothZerosHaveSlopeOneHalf()
    {
        Avx512Required.SkipUnlessFoundation();

        var z = Vector512.Create(0f).WithElement(1, -0f);
        var value = VectorMath512.Gelu(z, out var slope);

        Assert.Equal(0f, value[0]);
        Assert.Equal(0f, value[1]);
        Assert.Equal(0.5f, slope[0], 1e-7f);
        Assert.Equal(0.5f, slope[1], 1e-7f);
    }

    private static double Bump(double u) => -u * 0.5 * (1 - BaseActivationMath.Erf(u / Math.Sqrt(2)));

    private static double GeluSlope(double x) => (0.5 * (1 + BaseActivationMath.Erf(x / Math.Sqrt(2)))) + (x * Math.Exp(-x * x / 2) / Math.Sqrt(2 * Math.PI));

    /// <summary>Monomial coefficients of the polynomial through (nodes[j], values[j]): Newton's divided differences, expanded.</summary>
    private static double[] Interpolate(double[] nodes, double[] values)
    {
        var n = nodes.Length;
        var divided = (double[])values.Clone();
        for (var level = 1; level < n; level++)
        {
            for (var j = n - 1; j >= level; j--)
            {
                divided[j] = (divided[j] - divided[j - 1]) / (nodes[j] - nodes[j - level]);
            }
        }

        // p(t) = d0 + (t - x0)(d1 + (t - x1)(d2 + ...)), multiplied out from the innermost factor.
        var result = new double[n];
        result[0] = divided[n - 1];
        for (var j = n - 2; j >= 0; j--)
        {
            for (var k = n - 1; k >= 1; k--)
            {
                result[k] = result[k - 1] - (nodes[j] * result[k]);
            }

            result[0] = divided[j] - (nodes[j] * result[0]);
        }

        return result;
    }
}
