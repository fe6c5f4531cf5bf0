using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using LearnedActivation.Model.Bases.Simd;
using LearnedActivation.Model.Configuration;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Bases;

/// <summary>tanh; its slope 1 - tanh^2 comes from its value, so the AVX-512 path keeps no slopes for it.</summary>
internal readonly struct TanhBase : IBaseActivation
{
    public static BaseActivation Id => BaseActivation.Tanh;

    public static bool ReluShaped => false;

    public static bool KeepsStateBeyondBudget => false;

    public static bool InRegisters => false;

    public static bool SlopeFromValue => true;

    public static double Evaluate(double x) => Math.Tanh(x);

    public static Tensor Apply(Tensor input) => nn.functional.tanh(input);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Value(Vector256<float> z, out Vector256<float> slope)
    {
        var value = VectorMath.Tanh(z);
        slope = Vector256<float>.One - (value * value);
        return value;
    }

    // The same expression as the slope below, so stored and derived slopes give bit-identical deltas.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Delta(Vector512<float> upstream, Vector512<float> slopeOrValue) =>
        upstream * Vector512.FusedMultiplyAdd(-slopeOrValue, slopeOrValue, Vector512<float>.One);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Value(Vector512<float> z) => VectorMath512.Tanh(z);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Value(Vector512<float> z, out Vector512<float> slope)
    {
        var value = VectorMath512.Tanh(z);
        slope = Vector512.FusedMultiplyAdd(-value, value, Vector512<float>.One);
        return value;
    }
}
