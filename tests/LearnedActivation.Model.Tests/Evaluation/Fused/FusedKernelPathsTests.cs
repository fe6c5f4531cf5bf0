using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Evaluation.Fused;
using LearnedActivation.Model.Networks;

namespace LearnedActivation.Model.Tests.Evaluation.Fused;

/// <summary>
/// The fused kernel's two code paths (AVX-512 blocks where the CPU has it, 8 lanes elsewhere) and the state the
/// AVX-512 path keeps from forward for backward. The evaluator tests hold whichever path this machine runs to
/// exact; these hold the other path to it, and the saved state to changing nothing.
/// </summary>
public sealed class FusedKernelPathsTests
{
    public static TheoryData<SizePreset, BaseActivation> Cases() => EvaluatorCases.All();

    [Theory]
    [MemberData(nameof(Cases))]
    public void TheEightLanePathAgreesWithTheDefaultPath(SizePreset size, BaseActivation baseActivation)
    {
        var (weights, biases) = KernelRuns.Parameters(StudyPresets.ActivationHidden(size), seed: 1);
        var wide = new FusedActivationKernel(baseActivation, weights, biases);
        var narrow = new FusedActivationKernel(baseActivation, weights, biases, allowVector512: false);
        var (x, g) = KernelRuns.Inputs(3_001, seed: 2);

        var a = KernelRuns.Run(wide, x, g, threads: 1, save: true);
        var b = KernelRuns.Run(narrow, x, g, threads: 1, save: false);

        Assert.False(narrow.UsesVector512);
        Assert.True(KernelRuns.MaxAbs(a.Y, b.Y) <= 1e-6 * Math.Max(1, b.Y.Max(Math.Abs)), $"values differ by {KernelRuns.MaxAbs(a.Y, b.Y):E2}");
        Assert.True(KernelRuns.RelativeError(a.GradX, b.GradX) < 1e-5, $"input gradients: {KernelRuns.RelativeError(a.GradX, b.GradX):E2}");
        for (var l = 0; l < weights.Length; l++)
        {
            Assert.True(KernelRuns.RelativeError(a.WeightGrads[l], b.WeightGrads[l]) < 1e-5, $"layer {l} weights: {KernelRuns.RelativeError(a.WeightGrads[l], b.WeightGrads[l]):E2}");
            Assert.True(KernelRuns.RelativeError(a.BiasGrads[l], b.BiasGrads[l]) < 1e-5, $"layer {l} biases: {KernelRuns.RelativeError(a.BiasGrads[l], b.BiasGrads[l]):E2}");
        }
    }

    [Theory]
    [InlineData(BaseActivation.Tanh, 1, 3_001, 56)]
    [InlineData(BaseActivation.Relu, 1, 3_001, 24)]
    [InlineData(BaseActivation.Gelu, 1, 9_001, 48)]
    [InlineData(BaseActivation.Gelu, 2, 9_001, 48)]
    [InlineData(BaseActivation.Gelu, 1, 30_001, 16)]
    [InlineData(BaseActivation.Tanh, 2, 50_001, 8)]
    [InlineData(BaseActivation.Gelu, 1, 50_001, 0)]
    public void StateSavedInForwardGivesBitIdenticalGradients(BaseActivation baseActivation, int threads, int count, int savedPerScalar)
    {
        // Odd counts: a partial last block; with 2 threads a chunk boundary on a block boundary. The counts take
        // tanh's and gelu's 2 MB budget for saved state through its cases: every layer (tanh, 3,001 scalars: 56
        // floats each), all but the first (gelu's 16 + 8 values and slopes; relu below ReluSegmentedKernel.MinScalars,
        // whose own state ReluSegmentedKernelTests covers), the last alone (tanh's 8 values, gelu's 8 values and
        // slopes) and nothing.
        var (weights, biases) = KernelRuns.Parameters([32, 16, 8], seed: 3);
        var kernel = new FusedActivationKernel(baseActivation, weights, biases);
        var (x, g) = KernelRuns.Inputs(count, seed: 4);
        if (kernel.UsesVector512)
        {
            Assert.Equal((count + 127) / 128 * 128 * savedPerScalar, kernel.SavedFloats(count));
        }

        var saved = KernelRuns.Run(kernel, x, g, threads, save: true);
        var recomputed = KernelRuns.Run(kernel, x, g, threads, save: false);

        Assert.Equal(recomputed.Y, saved.Y);
        Assert.Equal(recomputed.GradX, saved.GradX);
        Assert.Equal(recomputed.WeightGrads, saved.WeightGrads);
        Assert.Equal(recomputed.BiasGrads, saved.BiasGrads);
    }

    [Fact]
    public void SavedStateOfTheWrongSizeIsRejected()
    {
        var (weights, biases) = KernelRuns.Parameters([16, 8], seed: 5);
        var kernel = new FusedActivationKernel(BaseActivation.Tanh, weights, biases);
        if (kernel.SavedFloats(100) == 0)
        {
            return; // the 8-lane path keeps nothing
        }

        Assert.Throws<ArgumentException>(() => kernel.Forward(new float[100], new float[100], 1, new float[kernel.SavedFloats(100) - 1]));
    }
}
