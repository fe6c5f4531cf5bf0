using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using LearnedActivation.Model.Bases.Simd;

namespace LearnedActivation.Model.Bases;

/// <summary>
/// One base activation on 16 floats, as a type parameter: kernels generic over it are compiled once per base, so
/// the activation is applied to accumulators still in registers instead of in a separate pass over memory.
/// </summary>
internal interface IActivation512
{
    /// <summary>
    /// Whether a tile's 16 accumulators can go through the activation while in registers; false where the
    /// activation needs so many temporaries that the accumulators would spill (measured: gelu, tanh).
    /// </summary>
    static abstract bool InRegisters { get; }

    /// <summary>Whether sigma'(z) is a cheap function of sigma(z) (relu, tanh): then slopes are never stored.</summary>
    static abstract bool SlopeFromValue { get; }

    /// <summary>
    /// dL/dz = dL/dh * sigma'(z), given <paramref name="slopeOrValue"/>: sigma(z) where <see cref="SlopeFromValue"/>,
    /// else sigma'(z).
    /// </summary>
    static abstract Vector512<float> Delta(Vector512<float> upstream, Vector512<float> slopeOrValue);

    static abstract Vector512<float> Value(Vector512<float> z);

    static abstract Vector512<float> Value(Vector512<float> z, out Vector512<float> slope);
}

internal readonly struct TanhActivation512 : IActivation512
{
    public static bool InRegisters => false;

    public static bool SlopeFromValue => true;

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

internal readonly struct ReluActivation512 : IActivation512
{
    public static bool InRegisters => true;

    public static bool SlopeFromValue => true;

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

internal readonly struct GeluActivation512 : IActivation512
{
    public static bool InRegisters => false;

    public static bool SlopeFromValue => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Delta(Vector512<float> upstream, Vector512<float> slopeOrValue) => upstream * slopeOrValue;

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
        slope = Vector512.FusedMultiplyAdd(z * gaussian, Vector512.Create(VectorMath512.InverseSqrt2Pi), cdf);
        return z * cdf;
    }
}

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
