using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LearnedActivation.Model.Bases.Simd;

/// <summary>
/// The functions the bases' 8-lane forms are built from (exp, tanh, erf), for the fused kernel's AVX2 path. Absolute
/// errors stay below 5e-7 (VectorMathTests), which keeps the fused network within 1e-5 of libtorch's.
/// </summary>
internal static class VectorMath
{
    // Below this |z| tanh is its Taylor polynomial: exp-based tanh would lose relative accuracy to cancellation.
    private const float TanhSeriesLimit = 0.125f;

    /// <summary>
    /// e^x after Cephes' expf: x = n ln2 + r with |r| &lt;= ln2/2 (ln2 split in two for an exact reduction),
    /// e^r = 1 + r + r^2 P(r) with P of degree 5, then 2^n put straight into the exponent bits. About 1 ulp;
    /// arguments are clamped to [-87.3, 88.3], the normal float range. Several times faster than Vector256.Exp,
    /// which computes in double.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x)
    {
        x = Vector256.Min(Vector256.Max(x, Vector256.Create(-87.3f)), Vector256.Create(88.3f));
        var n = Vector256.Floor(Fma(x, Vector256.Create(1.44269504088896341f), Vector256.Create(0.5f)));
        var r = Fma(n, Vector256.Create(-0.693359375f), x);
        r = Fma(n, Vector256.Create(2.12194440e-4f), r);
        var p = Vector256.Create(1.9875691500e-4f);
        p = Fma(p, r, Vector256.Create(1.3981999507e-3f));
        p = Fma(p, r, Vector256.Create(8.3334519073e-3f));
        p = Fma(p, r, Vector256.Create(4.1665795894e-2f));
        p = Fma(p, r, Vector256.Create(1.6666665459e-1f));
        p = Fma(p, r, Vector256.Create(5.0000001201e-1f));
        var y = Fma(p, r * r, r + Vector256<float>.One);
        var scale = Vector256.ShiftLeft(Vector256.ConvertToInt32(n) + Vector256.Create(127), 23).AsSingle();
        return y * scale;
    }

    /// <summary>tanh; odd, exact limits +-1, Taylor series near 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Tanh(Vector256<float> z)
    {
        var magnitude = Vector256.Abs(z);
        var e = Exp(Vector256.Create(-2f) * magnitude);
        var far = (Vector256<float>.One - e) / (Vector256<float>.One + e);

        var z2 = magnitude * magnitude;
        var poly = Fma(z2, Vector256.Create(-17f / 315), Vector256.Create(2f / 15));
        poly = Fma(z2, poly, Vector256.Create(-1f / 3));
        var series = Fma(magnitude * z2, poly, magnitude);

        var result = Vector256.ConditionalSelect(Vector256.LessThan(magnitude, Vector256.Create(TanhSeriesLimit)), series, far);
        return Vector256.CopySign(result, z);
    }

    /// <summary>
    /// erf(x) given e^(-x^2), by Abramowitz and Stegun 7.1.26: 1 - t (a1 + t (a2 + ... + t a5)) e^(-x^2) with
    /// t = 1 / (1 + p|x|); absolute error 1.5e-7 in exact arithmetic, below 5e-7 in float. Taking e^(-x^2) as
    /// an argument lets GELU share one exp between its value and its derivative.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Erf(Vector256<float> x, Vector256<float> expMinusXSquared)
    {
        var t = Vector256<float>.One / Fma(Vector256.Create(0.3275911f), Vector256.Abs(x), Vector256<float>.One);
        var poly = Fma(t, Vector256.Create(1.061405429f), Vector256.Create(-1.453152027f));
        poly = Fma(t, poly, Vector256.Create(1.421413741f));
        poly = Fma(t, poly, Vector256.Create(-0.284496736f));
        poly = Fma(t, poly, Vector256.Create(0.254829592f));
        return Vector256.CopySign(Vector256<float>.One - (t * poly * expMinusXSquared), x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Fma(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Vector256.FusedMultiplyAdd(a, b, c);
}
