using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LearnedActivation.Model.Tests.Support;

/// <summary>
/// Skips a test (reported as skipped, with the reason) on CPUs without the AVX-512 features it exercises, rather
/// than letting it pass without testing anything.
/// </summary>
internal static class Avx512Required
{
    /// <summary>The fused kernel's AVX-512 path runs only where Vector512 is hardware-accelerated.</summary>
    public static void SkipUnlessAccelerated() =>
        Skip.IfNot(Vector512.IsHardwareAccelerated, "this CPU does not accelerate Vector512 (AVX-512): the fused kernel runs its AVX2 path only");

    /// <summary>The table-driven gelu needs AVX-512F's two-register permute.</summary>
    public static void SkipUnlessFoundation() =>
        Skip.IfNot(Avx512F.IsSupported, "this CPU lacks AVX-512F: the table-driven gelu is not used (the erfc form is)");
}
