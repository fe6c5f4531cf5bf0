using System.Runtime.Intrinsics;
using LearnedActivation.Model.Bases;

namespace LearnedActivation.Model.Evaluation.Fused;

/// <summary>Chooses and builds the fused kernel's code path for a network: AVX-512 where the CPU accelerates it, else AVX2.</summary>
internal static class FusedKernelPaths
{
    /// <param name="allowVector512">False keeps the AVX2 path even where AVX-512 is accelerated (tests compare the two).</param>
    public static IFusedKernelPath Create<TBase>(float[][] weights, float[][] biases, bool allowVector512)
        where TBase : struct, IBaseActivation
    {
        var widths = Widths(weights, biases);
        return allowVector512 && Vector512.IsHardwareAccelerated
            ? new FusedBlockKernel512<TBase>(widths, weights, biases)
            : new FusedGroupKernel256<TBase>(widths, weights, biases);
    }

    /// <summary>Visits the base chosen at run time, for <see cref="Create{TBase}"/>.</summary>
    public static IFusedKernelPath Create(BaseFunction baseFunction, float[][] weights, float[][] biases, bool allowVector512) =>
        baseFunction.Accept(new Factory(weights, biases, allowVector512));

    /// <summary>[1, h1, ..., hk, 1] from the layers (weights [out, in] row-major as nn.Linear stores them); throws if they do not chain.</summary>
    private static int[] Widths(float[][] weights, float[][] biases)
    {
        var widths = new int[weights.Length + 1];
        widths[0] = 1;
        for (var l = 0; l < weights.Length; l++)
        {
            widths[l + 1] = biases[l].Length;
            if (weights[l].Length != widths[l + 1] * widths[l])
            {
                throw new ArgumentException($"layer {l}: {weights[l].Length} weights for {widths[l]} -> {widths[l + 1]}");
            }
        }

        if (widths[^1] != 1)
        {
            throw new ArgumentException($"the last layer must have one output (has {widths[^1]})");
        }

        return widths;
    }

    private sealed class Factory(float[][] weights, float[][] biases, bool allowVector512) : IBaseVisitor<IFusedKernelPath>
    {
        public IFusedKernelPath Visit<TBase>()
            where TBase : struct, IBaseActivation => Create<TBase>(weights, biases, allowVector512);
    }
}
