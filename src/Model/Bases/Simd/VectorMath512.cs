using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using LearnedActivation.Model.Bases;

namespace LearnedActivation.Model.Bases.Simd;

/// <summary>
/// The functions the bases' 16-lane forms are built from, for the AVX-512 path of the fused kernel. About the
/// accuracy of <see cref="VectorMath"/> (VectorMath512Tests: tanh within 2.5e-7 instead of 2e-7, the rest the same
/// or better), with cheaper formulas: tanh is a rational function (no exp), GELU a table of polynomial
/// pieces (<see cref="GeluPieces"/>: no exp, no division; 26 vector operations for value and slope where the erfc
/// form took 31, and faster: docs/benchmarks.md), and divisions are a 14-bit reciprocal estimate refined by one
/// Newton step (about 1 ulp).
/// </summary>
internal static class VectorMath512
{
    private const float InverseSqrt2 = 0.70710678118654752f;

    // tanh(x) rounds to +-1 in float beyond this; the rational approximation is fitted up to it.
    private const float TanhClamp = 7.99881172180175781f;

    /// <summary>GELU, z Phi(z), from the <see cref="GeluPieces"/> table (see there): relu(z) + G(|z|).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Gelu(Vector512<float> z)
    {
        var t = GeluPiece(z, out var piece);
        return Avx512F.Max(z, Vector512<float>.Zero) + GeluBump(t, piece, out _, slope: false);
    }

    /// <summary>
    /// GELU and its slope Phi(z) + z phi(z) = step(z) + sign(z) G'(|z|), written 1/2 + sign(z) (1/2 + G'(|z|)) so
    /// that both sides of 0 meet at G'(0) = -1/2 whatever the sign of a zero. The value is computed exactly as in
    /// <see cref="Gelu(Vector512{float})"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Gelu(Vector512<float> z, out Vector512<float> slope)
    {
        var t = GeluPiece(z, out var piece);
        var bump = GeluBump(t, piece, out var derivative, slope: true);
        var half = Vector512.Create(0.5f);
        slope = half + Vector512.CopySign(Fma(derivative, Vector512.Create(GeluPieces.Scale), half), z);
        return Avx512F.Max(z, Vector512<float>.Zero) + bump;
    }

    /// <summary>
    /// The piece |z| falls in and the position t in [-1/2, 1/2] within it. Rounding to nearest by adding 1.5 2^23
    /// leaves the piece number in the low mantissa bits, which is all the permute reads; |z| beyond the table ends
    /// on its last piece, where G is below 6e-9.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> GeluPiece(Vector512<float> z, out Vector512<int> piece)
    {
        const float RoundingShift = 12582912f;
        var position = Avx512F.Min(Fma(Vector512.Abs(z), Vector512.Create(GeluPieces.Scale), Vector512.Create(-0.5f)), Vector512.Create(GeluPieces.Pieces - 0.500002f));
        var shifted = position + Vector512.Create(RoundingShift);
        piece = shifted.AsInt32();
        return position - (shifted - Vector512.Create(RoundingShift));
    }

    /// <summary>G(u) on its piece by Horner's rule in t, and (when <paramref name="slope"/>) dG/dt alongside it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> GeluBump(Vector512<float> t, Vector512<int> piece, out Vector512<float> derivative, bool slope)
    {
        // Written out for degree 5 (GeluPieces.Degree): the JIT does not unroll a loop here.
        ref var table = ref MemoryMarshal.GetReference(GeluPieces.Coefficients);
        var value = Coefficient(ref table, 5, piece);
        derivative = value;
        value = Fma(value, t, Coefficient(ref table, 4, piece));
        derivative = slope ? Fma(derivative, t, value) : derivative;
        value = Fma(value, t, Coefficient(ref table, 3, piece));
        derivative = slope ? Fma(derivative, t, value) : derivative;
        value = Fma(value, t, Coefficient(ref table, 2, piece));
        derivative = slope ? Fma(derivative, t, value) : derivative;
        value = Fma(value, t, Coefficient(ref table, 1, piece));
        derivative = slope ? Fma(derivative, t, value) : derivative;
        return Fma(value, t, Coefficient(ref table, 0, piece));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Coefficient(ref readonly float table, int k, Vector512<int> piece) =>
        Avx512F.PermuteVar16x32x2(
            Vector512.LoadUnsafe(in table, (nuint)(k * GeluPieces.Pieces)),
            piece,
            Vector512.LoadUnsafe(in table, (nuint)((k * GeluPieces.Pieces) + 16)));

    /// <summary>
    /// Phi(z), the standard normal CDF, and e^(-z^2/2), for GELU where AVX-512F's permutes are missing (the table
    /// form needs them). Phi from erfc(|z| / sqrt 2) (A&amp;S 7.1.26, see
    /// <see cref="Erf"/>) on the side where it is small, 1 minus that on the other: no sign juggling, and full
    /// relative accuracy in the far left tail. GELU's value and slope share the one exp.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> NormalCdf(Vector512<float> z, out Vector512<float> gaussian)
    {
        gaussian = Gaussian(z);
        var t = Reciprocal(Fma(Vector512.Create(0.3275911f * InverseSqrt2), Vector512.Abs(z), Vector512<float>.One));
        var poly = Fma(t, Vector512.Create(0.5f * 1.061405429f), Vector512.Create(0.5f * -1.453152027f));
        poly = Fma(t, poly, Vector512.Create(0.5f * 1.421413741f));
        poly = Fma(t, poly, Vector512.Create(0.5f * -0.284496736f));
        poly = Fma(t, poly, Vector512.Create(0.5f * 0.254829592f));
        var halfTail = t * poly * gaussian;
        return Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(z, Vector512<float>.Zero), Vector512<float>.One - halfTail, halfTail);
    }

    /// <summary>
    /// e^(-z^2/2) for <see cref="NormalCdf"/>, cheaper than <see cref="Exp"/> where that is more accurate than needed:
    /// the argument is never positive (no upper clamp), ln 2 in one piece (relative error n 2e-9 for 2^-n, below
    /// 3e-8 wherever the result is above 1e-5), and e^r to degree 6 (Taylor; relative error below 1.3e-7 for
    /// |r| &lt;= ln2/2). The result only scales erfc's A&amp;S term (accurate to 1.5e-7) and z phi(z).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Gaussian(Vector512<float> z)
    {
        var x = Vector512.Max(Vector512.Create(-0.5f) * z * z, Vector512.Create(-87.3f));
        var n = Vector512.Floor(Fma(x, Vector512.Create(1.44269504088896341f), Vector512.Create(0.5f)));
        var r = Fma(n, Vector512.Create(-0.693147180559945f), x);
        var p = Fma(r, Vector512.Create(1f / 720), Vector512.Create(1f / 120));
        p = Fma(p, r, Vector512.Create(1f / 24));
        p = Fma(p, r, Vector512.Create(1f / 6));
        p = Fma(p, r, Vector512.Create(0.5f));
        var y = Fma(p, r * r, r + Vector512<float>.One);
        if (Avx512F.IsSupported)
        {
            return Avx512F.Scale(y, n);
        }

        return y * Vector512.ShiftLeft(Vector512.ConvertToInt32(n) + Vector512.Create(127), 23).AsSingle();
    }

    /// <summary>e^x, the same Cephes-style reduction, polynomial and clamping as <see cref="VectorMath.Exp"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x)
    {
        x = Vector512.Min(Vector512.Max(x, Vector512.Create(-87.3f)), Vector512.Create(88.3f));
        var n = Vector512.Floor(Fma(x, Vector512.Create(1.44269504088896341f), Vector512.Create(0.5f)));
        var r = Fma(n, Vector512.Create(-0.693359375f), x);
        r = Fma(n, Vector512.Create(2.12194440e-4f), r);
        var p = Vector512.Create(1.9875691500e-4f);
        p = Fma(p, r, Vector512.Create(1.3981999507e-3f));
        p = Fma(p, r, Vector512.Create(8.3334519073e-3f));
        p = Fma(p, r, Vector512.Create(4.1665795894e-2f));
        p = Fma(p, r, Vector512.Create(1.6666665459e-1f));
        p = Fma(p, r, Vector512.Create(5.0000001201e-1f));
        var y = Fma(p, r * r, r + Vector512<float>.One);
        if (Avx512F.IsSupported)
        {
            // y 2^n in one instruction (vscalefps) instead of building 2^n in the exponent bits.
            return Avx512F.Scale(y, n);
        }

        var scale = Vector512.ShiftLeft(Vector512.ConvertToInt32(n) + Vector512.Create(127), 23).AsSingle();
        return y * scale;
    }

    /// <summary>
    /// tanh as x P(x^2) / Q(x^2) (degrees 13 / 6, the minimax fit Eigen uses for float) on x clamped to
    /// +-<see cref="TanhClamp"/>: odd, so relative accuracy holds near 0, and no exp.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Tanh(Vector512<float> z)
    {
        var x = Vector512.Min(Vector512.Max(z, Vector512.Create(-TanhClamp)), Vector512.Create(TanhClamp));
        var x2 = x * x;
        var p = Fma(x2, Vector512.Create(-2.76076847742355e-16f), Vector512.Create(2.00018790482477e-13f));
        p = Fma(x2, p, Vector512.Create(-8.60467152213735e-11f));
        p = Fma(x2, p, Vector512.Create(5.12229709037114e-08f));
        p = Fma(x2, p, Vector512.Create(1.48572235717979e-05f));
        p = Fma(x2, p, Vector512.Create(6.37261928875436e-04f));
        p = Fma(x2, p, Vector512.Create(4.89352455891786e-03f));
        var q = Fma(x2, Vector512.Create(1.19825839466702e-06f), Vector512.Create(1.18534705686654e-04f));
        q = Fma(x2, q, Vector512.Create(2.26843463243900e-03f));
        q = Fma(x2, q, Vector512.Create(4.89352518554385e-03f));
        return x * p * Reciprocal(q);
    }

    /// <summary>erf(x) given e^(-x^2), Abramowitz and Stegun 7.1.26 as in <see cref="VectorMath.Erf"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Erf(Vector512<float> x, Vector512<float> expMinusXSquared)
    {
        var t = Reciprocal(Fma(Vector512.Create(0.3275911f), Vector512.Abs(x), Vector512<float>.One));
        var poly = Fma(t, Vector512.Create(1.061405429f), Vector512.Create(-1.453152027f));
        poly = Fma(t, poly, Vector512.Create(1.421413741f));
        poly = Fma(t, poly, Vector512.Create(-0.284496736f));
        poly = Fma(t, poly, Vector512.Create(0.254829592f));
        return Vector512.CopySign(Fma(-t * poly, expMinusXSquared, Vector512<float>.One), x);
    }

    /// <summary>1 / a for positive normal a: the hardware's 14-bit estimate and one Newton step (error ~2^-28 + rounding).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Reciprocal(Vector512<float> a)
    {
        if (!Avx512F.IsSupported)
        {
            return Vector512<float>.One / a;
        }

        var r = Avx512F.Reciprocal14(a);
        return Fma(r, Fma(-a, r, Vector512<float>.One), r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Fma(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.FusedMultiplyAdd(a, b, c);
}
