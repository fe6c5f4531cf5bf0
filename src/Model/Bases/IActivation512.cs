using System.Runtime.Intrinsics;

namespace LearnedActivation.Model.Bases;

/// <summary>
/// A function on 16 floats, as a type parameter: kernels generic over it are compiled once per function, so it is
/// applied to accumulators still in registers instead of in a separate pass over memory. Every base implements it
/// (<see cref="IBaseActivation"/>); so does the fused kernel's identity, for layers it stores without activation.
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
