using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using LearnedActivation.Model.Bases;

namespace LearnedActivation.Model.Evaluation.Fused;

/// <summary>No activation: lets the tiled matrix product store plain pre-activations.</summary>
internal readonly struct Identity512 : IActivation512
{
    public static bool InRegisters => true;

    public static bool SlopeFromValue => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Delta(Vector512<float> upstream, Vector512<float> slopeOrValue) => upstream * slopeOrValue;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Value(Vector512<float> z) => z;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Value(Vector512<float> z, out Vector512<float> slope)
    {
        slope = Vector512<float>.One;
        return z;
    }
}
