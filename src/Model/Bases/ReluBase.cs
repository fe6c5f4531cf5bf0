using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using LearnedActivation.Model.Configuration;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Bases;

/// <summary>
/// relu, max(z, 0): piecewise linear, which the grid (bends instead of knots) and the fused kernel (collapsed first
/// layer per segment) exploit; cheap enough to apply to accumulators still in registers.
/// </summary>
internal readonly struct ReluBase : IBaseActivation
{
    public static BaseActivation Id => BaseActivation.Relu;

    public static bool ReluShaped => true;

    public static bool KeepsStateBeyondBudget => true;

    public static bool InRegisters => true;

    public static bool SlopeFromValue => true;

    public static double Evaluate(double x) => x > 0 ? x : 0.0;

    public static Tensor Apply(Tensor input) => nn.functional.relu(input);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Value(Vector256<float> z, out Vector256<float> slope)
    {
        var positive = Vector256.GreaterThan(z, Vector256<float>.Zero);
        slope = Vector256.ConditionalSelect(positive, Vector256<float>.One, Vector256<float>.Zero);
        return Vector256.ConditionalSelect(positive, z, Vector256<float>.Zero);
    }

    // sigma(z) > 0 exactly where z > 0.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Delta(Vector512<float> upstream, Vector512<float> slopeOrValue) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(slopeOrValue, Vector512<float>.Zero), upstream, Vector512<float>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Value(Vector512<float> z) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(z, Vector512<float>.Zero), z, Vector512<float>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Value(Vector512<float> z, out Vector512<float> slope)
    {
        var positive = Vector512.GreaterThan(z, Vector512<float>.Zero);
        slope = Vector512.ConditionalSelect(positive, Vector512<float>.One, Vector512<float>.Zero);
        return Vector512.ConditionalSelect(positive, z, Vector512<float>.Zero);
    }
}
