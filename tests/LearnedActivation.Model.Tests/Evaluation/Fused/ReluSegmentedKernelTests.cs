using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Evaluation.Fused;
using LearnedActivation.Model.Networks;

namespace LearnedActivation.Model.Tests.Evaluation.Fused;

/// <summary>
/// The fused relu kernel's segmented path (ReluSegmentedKernel: first layer collapsed per segment of the x axis)
/// against the same kernel computing every layer per scalar. The evaluator tests hold both to exact.
/// </summary>
public sealed class ReluSegmentedKernelTests
{
    public static TheoryData<SizePreset, bool> SizesAndPaths() => new()
    {
        { SizePreset.Small, true },
        { SizePreset.Medium, true },
        { SizePreset.Large, true },
        { SizePreset.Large, false },
    };

    [Theory]
    [MemberData(nameof(SizesAndPaths))]
    public void CollapsingTheFirstLayerChangesOnlyFloatRounding(SizePreset size, bool allowVector512)
    {
        var (weights, biases) = KernelRuns.Parameters(StudyPresets.ActivationHidden(size), seed: 11);
        var segmented = new FusedActivationKernel(BaseActivation.Relu, weights, biases, allowVector512);
        var plain = new FusedActivationKernel(BaseActivation.Relu, weights, biases, allowVector512, segmentRelu: false);
        var (x, g) = KernelRuns.Inputs(20_001, seed: 12);

        AssertAgree(KernelRuns.Run(plain, x, g, threads: 1, save: true), KernelRuns.Run(segmented, x, g, threads: 1, save: true), weights.Length);
    }

    [Fact]
    public void ScalarsOnAndBesideAFirstLayerBendAgreeWithThePlainKernel()
    {
        // Each first-layer unit bends where fl(w x + b) changes sign. Put scalars on every bend and one float either
        // side of it (many copies, so that they weigh in the gradients), and at the extremes of the float range.
        var (weights, biases) = KernelRuns.Parameters([32, 16, 8], seed: 13);
        var x = new List<float> { -3e38f, 3e38f, 0f, -0f };
        for (var j = 0; j < biases[0].Length; j++)
        {
            var bend = -biases[0][j] / weights[0][j];
            for (var copy = 0; copy < 100; copy++)
            {
                x.AddRange([MathF.BitDecrement(bend), bend, MathF.BitIncrement(bend)]);
            }
        }

        var (random, _) = KernelRuns.Inputs(ReluSegmentedKernel.MinScalars, seed: 14);
        x.AddRange(random);
        var (_, g) = KernelRuns.Inputs(x.Count, seed: 15);
        var segmented = new FusedActivationKernel(BaseActivation.Relu, weights, biases);
        var plain = new FusedActivationKernel(BaseActivation.Relu, weights, biases, segmentRelu: false);
        var inputs = x.ToArray();

        var expected = KernelRuns.Run(plain, inputs, g, threads: 1, save: false);
        var actual = KernelRuns.Run(segmented, inputs, g, threads: 1, save: false);

        AssertAgree(expected, actual, weights.Length);
        AssertGradXAgreesPerScalar(inputs, expected.GradX, actual.GradX);
        for (var i = 0; i < inputs.Length; i++)
        {
            Assert.True(Math.Abs(actual.Y[i] - expected.Y[i]) <= 1e-5 * Math.Max(1, Math.Abs(expected.Y[i])), $"f({inputs[i]:R}) = {actual.Y[i]} against {expected.Y[i]}");
        }
    }

    [Fact]
    public void ScalarsWhereAFirstLayerUnitIsExactlyZeroAgreeWithThePlainKernel()
    {
        // -b/w rounded (the test above) almost never makes fl(w x + b) exactly 0, so that test cannot tell "> 0"
        // from ">= 0" in the thresholds or the masks. Here w and b are dyadic and b = -w c exactly, so at x = c the
        // unit's pre-activation is exactly +-0 (relu'(0) = 0: inactive); plus units with w = 0 or -0 and b = 0.
        var (weights, biases) = KernelRuns.Parameters([24, 16, 8], seed: 31);
        var x = new List<float>();
        for (var j = 0; j < 24; j++)
        {
            var w = j switch { 0 => 0f, 1 => -0f, _ => (j % 2 == 0 ? 1 : -1) * (j / 4f) };
            var c = (j - 12) / 8f;
            (weights[0][j], biases[0][j]) = (w, w == 0 ? 0f : -w * c);
            for (var copy = 0; copy < 50; copy++)
            {
                x.AddRange([c, MathF.BitIncrement(c), MathF.BitDecrement(c), c == 0 ? -0f : c]);
            }
        }

        var (random, _) = KernelRuns.Inputs(ReluSegmentedKernel.MinScalars, seed: 32);
        x.AddRange(random);
        var (_, g) = KernelRuns.Inputs(x.Count, seed: 33);
        var inputs = x.ToArray();
        var segmented = new FusedActivationKernel(BaseActivation.Relu, weights, biases);
        var plain = new FusedActivationKernel(BaseActivation.Relu, weights, biases, segmentRelu: false);

        var expected = KernelRuns.Run(plain, inputs, g, threads: 1, save: false);
        var actual = KernelRuns.Run(segmented, inputs, g, threads: 1, save: true);

        AssertAgree(expected, actual, weights.Length);
        AssertGradXAgreesPerScalar(inputs, expected.GradX, actual.GradX);
    }

    [Theory]
    [InlineData(ReluSegmentedKernel.MinScalars)]
    [InlineData(50_001)]
    public void SavedStateAndThreadCountChangeNoBit(int count)
    {
        var (weights, biases) = KernelRuns.Parameters([32, 16, 8], seed: 16);
        var kernel = new FusedActivationKernel(BaseActivation.Relu, weights, biases);
        var (x, g) = KernelRuns.Inputs(count, seed: 17);

        var reference = KernelRuns.Run(kernel, x, g, threads: 1, save: true);
        foreach (var (threads, save) in new[] { (1, false), (2, true), (2, false), (1, true) })
        {
            AssertIdentical(reference, KernelRuns.Run(kernel, x, g, threads, save));
        }
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void NonFiniteInputsGiveWhatThePlainKernelGives(float odd)
    {
        var (weights, biases) = KernelRuns.Parameters([32, 16, 8], seed: 18);
        var (x, g) = KernelRuns.Inputs(10_000, seed: 19);
        x[1234] = odd;
        var segmented = new FusedActivationKernel(BaseActivation.Relu, weights, biases);
        var plain = new FusedActivationKernel(BaseActivation.Relu, weights, biases, segmentRelu: false);

        foreach (var save in new[] { true, false })
        {
            AssertIdentical(KernelRuns.Run(plain, x, g, threads: 1, save: false), KernelRuns.Run(segmented, x, g, threads: 1, save));
        }
    }

    /// <summary>dL/dx per scalar, not only in norm: a scalar put in the wrong segment shows here.</summary>
    private static void AssertGradXAgreesPerScalar(float[] inputs, float[] expected, float[] actual)
    {
        var largest = expected.Max(Math.Abs);
        for (var i = 0; i < inputs.Length; i++)
        {
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-5 * largest, $"dL/dx at x = {inputs[i]:R}: {actual[i]} against {expected[i]}");
        }
    }

    private static void AssertIdentical(
        (float[] Y, float[] GradX, float[][] WeightGrads, float[][] BiasGrads) expected,
        (float[] Y, float[] GradX, float[][] WeightGrads, float[][] BiasGrads) actual)
    {
        Assert.Equal(expected.Y, actual.Y);
        Assert.Equal(expected.GradX, actual.GradX);
        Assert.Equal(expected.WeightGrads, actual.WeightGrads);
        Assert.Equal(expected.BiasGrads, actual.BiasGrads);
    }

    private static void AssertAgree(
        (float[] Y, float[] GradX, float[][] WeightGrads, float[][] BiasGrads) expected,
        (float[] Y, float[] GradX, float[][] WeightGrads, float[][] BiasGrads) actual,
        int layers)
    {
        Assert.True(KernelRuns.MaxAbs(actual.Y, expected.Y) <= 1e-6 * Math.Max(1, expected.Y.Max(Math.Abs)), $"values differ by {KernelRuns.MaxAbs(actual.Y, expected.Y):E2}");
        Assert.True(KernelRuns.RelativeError(actual.GradX, expected.GradX) < 1e-6, $"input gradients: {KernelRuns.RelativeError(actual.GradX, expected.GradX):E2}");
        for (var l = 0; l < layers; l++)
        {
            Assert.True(KernelRuns.RelativeError(actual.WeightGrads[l], expected.WeightGrads[l]) < 1e-6, $"layer {l} weights: {KernelRuns.RelativeError(actual.WeightGrads[l], expected.WeightGrads[l]):E2}");
            Assert.True(KernelRuns.RelativeError(actual.BiasGrads[l], expected.BiasGrads[l]) < 1e-6, $"layer {l} biases: {KernelRuns.RelativeError(actual.BiasGrads[l], expected.BiasGrads[l]):E2}");
        }
    }
}
