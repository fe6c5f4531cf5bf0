using System.Runtime.Intrinsics;
using LearnedActivation.Model.Configuration;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Bases;

/// <summary>
/// One base activation in every form the code computes it: on a double (references, plots), on a tensor (the exact
/// evaluation), on 8 and 16 floats with its slope (the fused kernel's AVX2 and AVX-512 paths), and the flags that
/// choose code paths for it. Kernels take the base as a struct type parameter, so the JIT compiles them once per
/// base with its lane code inlined, as if written out for it. A new base is one struct implementing this and its
/// line in <see cref="BaseActivations"/> (plus its name in <see cref="BaseActivation"/>, the serialised identity).
/// </summary>
internal interface IBaseActivation : IActivation512
{
    /// <summary>The name under which specs, checkpoints and the command line know this base.</summary>
    static abstract BaseActivation Id { get; }

    /// <summary>
    /// Whether sigma is relu itself: exactly 0 for z &lt;= 0 and z above. The network is then piecewise linear with
    /// bends where a unit's pre-activation crosses 0, so the grid samples its bends instead of knots
    /// (ReluBreakpoints) and the fused kernel may collapse the first layer per segment (ReluSegmentedKernel, which
    /// computes relu). Both rely on exactly this shape, so another piecewise-linear base (a leaky relu, say) must
    /// answer false here until those two learn its slopes; it then runs on knots and the plain kernel, correctly.
    /// </summary>
    static abstract bool ReluShaped { get; }

    /// <summary>
    /// Whether the AVX-512 path keeps every hidden layer but the first for backward whatever the call's size, instead
    /// of only what fits its budget (relu: its state is values only, and keeping less measured no faster).
    /// </summary>
    static abstract bool KeepsStateBeyondBudget { get; }

    /// <summary>sigma(x) in double precision: the reference the vector forms are tested against.</summary>
    static abstract double Evaluate(double x);

    /// <summary>sigma on a tensor, as PyTorch computes it (the exact evaluation, and the reference for the rest).</summary>
    static abstract Tensor Apply(Tensor input);

    /// <summary>sigma(z) and sigma'(z) on 8 floats, for the AVX2 path.</summary>
    static abstract Vector256<float> Value(Vector256<float> z, out Vector256<float> slope);
}
