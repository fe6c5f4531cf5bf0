using LearnedActivation.Model.Bases;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Evaluation.Fused;
using LearnedActivation.Model.Tests.Support;

namespace LearnedActivation.Model.Tests.Evaluation.Fused;

/// <summary>
/// The fused kernel's two code paths (AVX-512 blocks where the CPU has it, AVX2's 8 lanes elsewhere) and the state
/// the AVX-512 path keeps from forward for backward. The evaluator tests hold whichever path this machine runs to
/// exact; these hold the AVX2 path to the AVX-512 one, and the saved state to changing nothing. On CPUs without
/// AVX-512 they report as skipped: there is no second path to compare.
/// </summary>
public sealed class FusedKernelPathsTests
{
    public static TheoryData<SizePreset, BaseActivation> Cases() => EvaluatorCases.All();

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void TheAvx2PathAgreesWithTheAvx512Path(SizePreset size, BaseActivation baseActivation)
    {
        Avx512Required.SkipUnlessAccelerated();
        var (weights, biases) = KernelRuns.Parameters(StudyPresets.ActivationHidden(size), seed: 1);
        var wide = new FusedActivationKernel(baseActivation, weights, biases);
        var narrow = new FusedActivationKernel(baseActivation, weights, biases, allowVector512: false);
        var (x, g) = KernelRuns.Inputs(3_001, seed: 2);

        var a = KernelRuns.Run(wide, x, g, threads: 1, save: true);
        var b = KernelRuns.Run(narrow, x, g, threads: 1, save: false);

        // Two different code paths, or the comparison would prove nothing.
        Assert.True(wide.UsesVector512);
        Assert.False(narrow.UsesVector512);
        Assert.True(KernelRuns.MaxAbs(a.Y, b.Y) <= 1e-6 * Math.Max(1, b.Y.Max(Math.Abs)), $"values differ by {KernelRuns.MaxAbs(a.Y, b.Y):E2}");
        Assert.True(KernelRuns.RelativeError(a.GradX, b.GradX) < 1e-5, $"input gradients: {KernelRuns.RelativeError(a.GradX, b.GradX):E2}");
        for (var l = 0; l < weights.Length; l++)
        {
            Assert.True(KernelRuns.RelativeError(a.WeightGrads[l], b.WeightGrads[l]) < 1e-5, $"layer {l} weights: {KernelRuns.RelativeError(a.WeightGrads[l], b.WeightGrads[l]):E2}");
            Assert.True(KernelRuns.RelativeError(a.BiasGrads[l], b.BiasGrads[l]) < 1e-5, $"layer {l} biases: {KernelRuns.RelativeError(a.BiasGrads[l], b.BiasGrads[l]):E2}");
        }
    }

    [SkippableTheory]
    [InlineData(37)]
    [InlineData(8)]
    [InlineData(3)]
    public unsafe void LaneTotalsAreAddedInLaneOrderInDouble(int parameters)
    {
        Avx512Required.SkipUnlessAccelerated();
        // Float lanes of mixed magnitudes and signs, so that any other order of the adds (or a float sum) gives other
        // bits; 37 parameters take the eight-at-a-time gathers, the four-at-a-time chains and the last one alone.
        var random = new Random(5);
        const int lanes = 16;
        var floats = new float[(parameters + 2) * lanes];
        for (var i = 0; i < floats.Length; i++)
        {
            floats[i] = (float)(((2 * random.NextDouble()) - 1) * Math.Pow(10, random.Next(-6, 7)));
        }

        var doubles = floats.Select(f => (double)f * (1 + 1e-9)).ToArray();
        fixed (float* f = floats)
        fixed (double* d = doubles)
        {
            Assert.Equal(InLaneOrder(floats.Select(v => (double)v).ToArray(), parameters), FusedBlockKernel512<ReluBase>.Reduce(f, 2, parameters));
            Assert.Equal(InLaneOrder(doubles, parameters), FusedBlockKernel512<ReluBase>.Reduce(d, 2, parameters));
        }

        static double[] InLaneOrder(double[] values, int count)
        {
            var sums = new double[count];
            for (var p = 0; p < count; p++)
            {
                for (var lane = 0; lane < lanes; lane++)
                {
                    sums[p] += values[((p + 2) * lanes) + lane];
                }
            }

            return sums;
        }
    }

    [SkippableTheory]
    [InlineData(BaseActivation.Tanh, 1, 3_001, 56)]
    [InlineData(BaseActivation.Relu, 1, 3_001, 24)]
    [InlineData(BaseActivation.Gelu, 1, 9_001, 48)]
    [InlineData(BaseActivation.Gelu, 2, 9_001, 48)]
    [InlineData(BaseActivation.Gelu, 1, 30_001, 16)]
    [InlineData(BaseActivation.Tanh, 2, 50_001, 8)]
    [InlineData(BaseActivation.Gelu, 1, 50_001, 0)]
    [InlineData(BaseActivation.Silu, 1, 9_001, 48)]
    [InlineData(BaseActivation.Silu, 2, 30_001, 16)]
    public void StateSavedInForwardGivesBitIdenticalGradients(BaseActivation baseActivation, int threads, int count, int savedPerScalar)
    {
        Avx512Required.SkipUnlessAccelerated(); // only the AVX-512 path keeps state
        // Odd counts: a partial last block; with 2 threads a chunk boundary on a block boundary. The counts take
        // tanh's and gelu's 2 MB budget for saved state through its cases: every layer (tanh, 3,001 scalars: 56
        // floats each), all but the first (gelu's 16 + 8 values and slopes; relu below ReluSegmentedKernel.MinScalars,
        // whose own state ReluSegmentedKernelTests covers), the last alone (tanh's 8 values, gelu's 8 values and
        // slopes) and nothing.
        var (weights, biases) = KernelRuns.Parameters([32, 16, 8], seed: 3);
        var kernel = new FusedActivationKernel(baseActivation, weights, biases);
        var (x, g) = KernelRuns.Inputs(count, seed: 4);
        Assert.Equal((count + 127) / 128 * 128 * savedPerScalar, kernel.SavedFloats(count));

        var saved = KernelRuns.Run(kernel, x, g, threads, save: true);
        var recomputed = KernelRuns.Run(kernel, x, g, threads, save: false);

        Assert.Equal(recomputed.Y, saved.Y);
        Assert.Equal(recomputed.GradX, saved.GradX);
        Assert.Equal(recomputed.WeightGrads, saved.WeightGrads);
        Assert.Equal(recomputed.BiasGrads, saved.BiasGrads);
    }

    [SkippableFact]
    public void SavedStateOfTheWrongSizeIsRejected()
    {
        Avx512Required.SkipUnlessAccelerated(); // the AVX2 path keeps no state, so any size but 0 is wrong there
        var (weights, biases) = KernelRuns.Parameters([16, 8], seed: 5);
        var kernel = new FusedActivationKernel(BaseActivation.Tanh, weights, biases);

        Assert.Throws<ArgumentException>(() => kernel.Forward(new float[100], new float[100], 1, new float[kernel.SavedFloats(100) - 1]));
    }

    [Fact]
    public void WithoutAvx512TheAvx2PathRunsAndKeepsNoState()
    {
        var (weights, biases) = KernelRuns.Parameters([16, 8], seed: 6);

        var path = FusedKernelPaths.Create<GeluBase>(weights, biases, allowVector512: false);

        Assert.IsType<FusedGroupKernel256<GeluBase>>(path);
        Assert.False(path.UsesVector512);
        Assert.Equal(8, path.Granularity);
        Assert.Equal(0, path.SavedFloats(10_000));
    }

    [SkippableFact]
    public void WhereAvx512IsAcceleratedItsPathIsChosenForTheBaseAskedFor()
    {
        Avx512Required.SkipUnlessAccelerated();
        var (weights, biases) = KernelRuns.Parameters([16, 8], seed: 7);

        var path = FusedKernelPaths.Create(BaseActivations.Of(BaseActivation.Silu), weights, biases, allowVector512: true);

        Assert.IsType<FusedBlockKernel512<SiluBase>>(path);
        Assert.Equal(128, path.Granularity);
    }

    [Fact]
    public void LayersThatDoNotChainAreRejected()
    {
        var (weights, biases) = KernelRuns.Parameters([16, 8], seed: 8);

        Assert.Throws<ArgumentException>(() => FusedKernelPaths.Create<TanhBase>([weights[0], weights[1][..^1], weights[2]], biases, allowVector512: true));
        Assert.Throws<ArgumentException>(() => FusedKernelPaths.Create<TanhBase>(weights[..2], biases[..2], allowVector512: true));
    }

    [Fact]
    public void AnUnknownBaseIsRejectedBeforeAnythingIsComputed()
    {
        var (weights, biases) = KernelRuns.Parameters([16, 8], seed: 9);

        Assert.Throws<ArgumentOutOfRangeException>(() => new FusedActivationKernel((BaseActivation)99, weights, biases));
    }
}
