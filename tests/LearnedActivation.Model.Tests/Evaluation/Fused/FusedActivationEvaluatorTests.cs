using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Evaluation;
using LearnedActivation.Model.Evaluation.Fused;
using LearnedActivation.Model.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Tests.Evaluation.Fused;

public sealed class FusedActivationEvaluatorTests
{
    [Theory]
    [MemberData(nameof(EvaluatorCases.All), MemberType = typeof(EvaluatorCases))]
    public void OutputAndAllGradientsAgreeWithExactToFloatTolerance(SizePreset size, BaseActivation baseActivation)
    {
        using var network = new ActivationNetwork(StudyPresets.ActivationHidden(size), baseActivation, new Generator(1, CPU));
        using var scope = NewDisposeScope();
        var (input, upstream) = EvaluatorCases.TrainingLikeBatch(seed: 2);

        var agreement = EvaluatorAgreement.Measure(network, input, upstream, ExactActivationEvaluator.Instance, FusedActivationEvaluator.Instance);

        Assert.True(agreement.MaxFunctionError <= 1e-5 * agreement.MaxOutputScale, $"max function error {agreement.MaxFunctionError:E2} (output scale {agreement.MaxOutputScale:F2})");
        Assert.True(agreement.InputGradientError <= 1e-5, $"input gradient error {agreement.InputGradientError:E2}");
        Assert.True(agreement.ParameterGradientError <= 1e-5, $"parameter gradient error {agreement.ParameterGradientError:E2}");
    }

    [Theory]
    [InlineData(BaseActivation.Tanh)]
    [InlineData(BaseActivation.Relu)]
    [InlineData(BaseActivation.Gelu)]
    [InlineData(BaseActivation.Silu)]
    public void WeightGradientsAreCloserToAFloat64ReferenceThanLibtorchsFloat32(BaseActivation baseActivation)
    {
        // The fused kernel sums weight gradients in double; libtorch's float32 sums are the larger part of the
        // fused-vs-exact difference above. Against float64 arithmetic the fused gradients are within 3e-6.
        using var network = new ActivationNetwork([32, 16, 8], baseActivation, new Generator(3, CPU));
        using var reference = new ActivationNetwork([32, 16, 8], baseActivation, new Generator(3, CPU));
        reference.to(ScalarType.Float64);
        using var scope = NewDisposeScope();
        var (input, upstream) = EvaluatorCases.TrainingLikeBatch(seed: 4);

        var fused = ParameterGradients(network, FusedActivationEvaluator.Instance, input, upstream);
        var float64 = ParameterGradients(reference, ExactActivationEvaluator.Instance, input.to(ScalarType.Float64), upstream.to(ScalarType.Float64));

        Assert.All(fused.Zip(float64), pair => Assert.True(EvaluatorAgreement.RelativeError(pair.First, pair.Second) < 3e-6));
    }

    [Theory]
    [InlineData(BaseActivation.Relu)]
    [InlineData(BaseActivation.Tanh)]
    public void ASecondBackwardThroughARetainedGraphGivesTheSameGradient(BaseActivation baseActivation)
    {
        // Forward keeps state for backward (relu: ReluSegmentedKernel's plan on every CPU; tanh on AVX-512), and
        // the first backward returns it to the pool; the second must recompute, not fail on the missing state.
        using var network = new ActivationNetwork([16, 8], baseActivation, new Generator(11, CPU), FusedActivationEvaluator.Instance);
        using var scope = NewDisposeScope();
        var (input, _) = EvaluatorCases.TrainingLikeBatch(seed: 12);
        var x = input.clone().requires_grad_(true);
        var loss = network.forward(x).square().sum();

        var first = autograd.grad([loss], [x], retain_graph: true)[0];
        var second = autograd.grad([loss], [x])[0];

        Assert.Equal(first.data<float>().ToArray(), second.data<float>().ToArray());
    }

    [Fact]
    public void RepeatedRunsAreBitIdentical()
    {
        using var network = new ActivationNetwork([32, 16, 8], BaseActivation.Gelu, new Generator(5, CPU));
        using var scope = NewDisposeScope();
        var (input, upstream) = EvaluatorCases.TrainingLikeBatch(seed: 6);

        var first = OutputAndGradientBytes(network, input, upstream);
        var second = OutputAndGradientBytes(network, input, upstream);

        Assert.Equal(first, second);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(13)]
    public void ColumnsOfAnyLengthMatchExact(int rows)
    {
        // 8 scalars per vector: lengths that are not a multiple of 8 go through the padded last group.
        using var network = new ActivationNetwork([16, 8], BaseActivation.Tanh, new Generator(7, CPU));
        using var scope = NewDisposeScope();
        var (input, upstream) = EvaluatorCases.TrainingLikeBatch(seed: 8, rows: rows, width: 1);

        var agreement = EvaluatorAgreement.Measure(network, input, upstream, ExactActivationEvaluator.Instance, FusedActivationEvaluator.Instance);

        Assert.True(agreement.MaxFunctionError < 1e-6);
        Assert.True(agreement.InputGradientError < 1e-5);
        Assert.True(agreement.ParameterGradientError < 1e-5);
    }

    [Fact]
    public void LayerWidthsThatAreNotMultiplesOfEightWork()
    {
        using var network = new ActivationNetwork([5, 11, 3], BaseActivation.Gelu, new Generator(9, CPU));
        using var scope = NewDisposeScope();
        var (input, upstream) = EvaluatorCases.TrainingLikeBatch(seed: 10, rows: 64, width: 9);

        var agreement = EvaluatorAgreement.Measure(network, input, upstream, ExactActivationEvaluator.Instance, FusedActivationEvaluator.Instance);

        Assert.True(agreement.MaxFunctionError < 1e-6);
        Assert.True(agreement.InputGradientError < 1e-5);
        Assert.True(agreement.ParameterGradientError < 1e-5);
    }

    [Fact]
    public void UnderNoGradItOnlyComputesValues()
    {
        using var network = new ActivationNetwork([16, 8], BaseActivation.Relu, new Generator(11, CPU));
        using var scope = NewDisposeScope();
        var column = randn([100, 1], generator: new Generator(12, CPU));

        using var noGrad = no_grad();
        var output = FusedActivationEvaluator.Instance.Evaluate(network, column);

        Assert.False(output.requires_grad);
        Assert.Equal(ExactActivationEvaluator.Instance.Evaluate(network, column).data<float>().ToArray(), output.data<float>().ToArray(), new ToleranceComparer(1e-6));
    }

    private static Tensor[] ParameterGradients(ActivationNetwork network, IActivationEvaluator evaluator, Tensor input, Tensor upstream)
    {
        network.zero_grad();
        evaluator.Evaluate(network, input.reshape(-1, 1)).backward([upstream.reshape(-1, 1)]);
        return [.. network.parameters().Select(p => p.grad!.clone())];
    }

    private static byte[] OutputAndGradientBytes(ActivationNetwork network, Tensor input, Tensor upstream)
    {
        network.zero_grad();
        var x = input.detach().clone().requires_grad_(true);
        var y = FusedActivationEvaluator.Instance.Evaluate(network, x.reshape(-1, 1));
        y.backward([upstream.reshape(-1, 1)]);
        var all = new List<float>(y.data<float>().ToArray());
        all.AddRange(x.grad!.data<float>().ToArray());
        foreach (var parameter in network.parameters())
        {
            all.AddRange(parameter.grad!.data<float>().ToArray());
        }

        return System.Runtime.InteropServices.MemoryMarshal.AsBytes(all.ToArray().AsSpan()).ToArray();
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}

public sealed class FusedActivationKernelThreadingTests
{
    [Fact]
    public void SplittingAcrossThreadsChangesOnlyTheSummationGrouping()
    {
        var kernel = Kernel();
        var (x, g) = Inputs(50_000);

        var (y1, dx1, w1, b1) = Run(kernel, x, g, threads: 1);
        var (y2, dx2, w2, b2) = Run(kernel, x, g, threads: 2);

        // Values and input gradients are per scalar: identical. Weight gradients are sums: equal to rounding.
        Assert.Equal(y1, y2);
        Assert.Equal(dx1, dx2);
        for (var l = 0; l < w1.Length; l++)
        {
            Assert.True(RelativeError(w2[l], w1[l]) < 1e-6, $"layer {l} weights: {RelativeError(w2[l], w1[l]):E2}");
            Assert.True(RelativeError(b2[l], b1[l]) < 1e-6, $"layer {l} biases: {RelativeError(b2[l], b1[l]):E2}");
        }
    }

    [Fact]
    public void AFixedThreadCountIsBitwiseReproducible()
    {
        var kernel = Kernel();
        var (x, g) = Inputs(50_000);

        var first = Run(kernel, x, g, threads: 2);
        var second = Run(kernel, x, g, threads: 2);

        Assert.Equal(first.WeightGrads, second.WeightGrads);
        Assert.Equal(first.BiasGrads, second.BiasGrads);
    }

    private static FusedActivationKernel Kernel()
    {
        var random = new Random(1);
        int[] widths = [1, 32, 16, 8, 1];
        var weights = new float[widths.Length - 1][];
        var biases = new float[widths.Length - 1][];
        for (var l = 0; l + 1 < widths.Length; l++)
        {
            weights[l] = [.. Enumerable.Range(0, widths[l] * widths[l + 1]).Select(_ => (float)(random.NextDouble() - 0.5))];
            biases[l] = [.. Enumerable.Range(0, widths[l + 1]).Select(_ => (float)(random.NextDouble() - 0.5))];
        }

        return new FusedActivationKernel(BaseActivation.Tanh, weights, biases);
    }

    private static (float[] X, float[] Upstream) Inputs(int count)
    {
        var random = new Random(2);
        return ([.. Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 8) - 4))], [.. Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() - 0.5))]);
    }

    private static (float[] Y, float[] GradX, float[][] WeightGrads, float[][] BiasGrads) Run(FusedActivationKernel kernel, float[] x, float[] upstream, int threads)
    {
        var y = new float[x.Length];
        var dx = new float[x.Length];
        kernel.Forward(x, y, threads);
        var (w, b) = kernel.Backward(x, upstream, dx, threads);
        return (y, dx, w, b);
    }

    private static double RelativeError(float[] candidate, float[] reference) =>
        Math.Sqrt(candidate.Zip(reference, (c, r) => (double)(c - r) * (c - r)).Sum() / reference.Sum(r => (double)r * r));
}
