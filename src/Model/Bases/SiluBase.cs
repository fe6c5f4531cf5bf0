using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using LearnedActivation.Model.Bases.Simd;
using LearnedActivation.Model.Configuration;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Bases;

/// <summary>
/// SiLU (swish), z sigmoid(z) as PyTorch's <c>nn.functional.silu</c>. Slope s (1 + z (1 - s)) with s = sigmoid(z):
/// not a cheap function of the value, so the AVX-512 path keeps slopes. One exp serves value and slope; exp's
/// clamping keeps 1 + e^-z finite, so for finite z far left the value is a tiny negative number or 0, never NaN.
/// </summary>
internal readonly struct SiluBase : IBaseActivation
{
    public static BaseActivation Id => BaseActivation.Silu;

    public static bool ReluShaped => false;

    public static bool KeepsStateBeyondBudget => false;

    public static bool InRegisters => false;

    public static bool SlopeFromValue => false;

    public static double Evaluate(double x) => x / (1.0 + Math.Exp(-x));

    public static Tensor Apply(Tensor input) => nn.functional.silu(input);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Value(Vector256<float> z, out Vector256<float> slope)
    {
        var sigmoid = Vector256<float>.One / (Vector256<float>.One + VectorMath.Exp(-z));
        slope = sigmoid * Vector256.FusedMultiplyAdd(z, Vector256<float>.One - sigmoid, Vector256<float>.One);
        return z * sigmoid;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Delta(Vector512<float> upstream, Vector512<float> slopeOrValue) => upstream * slopeOrValue;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Value(Vector512<float> z) => z * Sigmoid(z);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Value(Vector512<float> z, out Vector512<float> slope)
    {
        var sigmoid = Sigmoid(z);
        slope = sigmoid * Vector512.FusedMultiplyAdd(z, Vector512<float>.One - sigmoid, Vector512<float>.One);
        return z * sigmoid;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Sigmoid(Vector512<float> z) => VectorMath512.Reciprocal(Vector512<float>.One + VectorMath512.Exp(-z));
}
