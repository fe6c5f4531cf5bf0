using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using LearnedActivation.Model.Bases.Simd;
using LearnedActivation.Model.Configuration;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Bases;

/// <summary>
/// GELU in its exact form z Phi(z) (PyTorch's default <c>approximate='none'</c>, which the study uses), not the tanh
/// approximation. Its slope Phi(z) + z phi(z) is not a cheap function of its value, so the AVX-512 path keeps slopes.
/// </summary>
internal readonly struct GeluBase : IBaseActivation
{
    private const float InverseSqrt2 = 0.70710678118654752f;
    private const float InverseSqrt2Pi = 0.39894228040143268f;

    public static BaseActivation Id => BaseActivation.Gelu;

    public static bool ReluShaped => false;

    public static bool KeepsStateBeyondBudget => false;

    public static bool InRegisters => false;

    public static bool SlopeFromValue => false;

    public static double Evaluate(double x) => 0.5 * x * (1.0 + BaseActivationMath.Erf(x / Math.Sqrt(2.0)));

    public static Tensor Apply(Tensor input) => nn.functional.gelu(input, GELU.Approximate.none);

    /// <summary>Value and slope share one exp.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Value(Vector256<float> z, out Vector256<float> slope)
    {
        var gaussian = VectorMath.Exp(Vector256.Create(-0.5f) * z * z);
        var cdf = Vector256.Create(0.5f) * (Vector256<float>.One + VectorMath.Erf(z * InverseSqrt2, gaussian));
        slope = cdf + (z * gaussian * InverseSqrt2Pi);
        return z * cdf;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Delta(Vector512<float> upstream, Vector512<float> slopeOrValue) => upstream * slopeOrValue;

    // The table form needs AVX-512F's two-register permute; without it, the erfc form.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Value(Vector512<float> z) => Avx512F.IsSupported ? VectorMath512.Gelu(z) : z * VectorMath512.NormalCdf(z, out _);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Value(Vector512<float> z, out Vector512<float> slope)
    {
        if (Avx512F.IsSupported)
        {
            return VectorMath512.Gelu(z, out slope);
        }

        var cdf = VectorMath512.NormalCdf(z, out var gaussian);
        slope = Vector512.FusedMultiplyAdd(z * gaussian, Vector512.Create(InverseSqrt2Pi), cdf);
        return z * cdf;
    }
}
