using System.Runtime.InteropServices;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Evaluation.Grid;
using LearnedActivation.Model.Multitask;
using LearnedActivation.Model.Networks;
using LearnedActivation.Model.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Tests.Evaluation.Grid;

/// <summary>
/// The grid's one-node hidden stack (<see cref="GridActivationEvaluator.EvaluateStack"/>) is a speed-up only: its
/// output and the outer layers' gradients have the bits of the layer-by-layer composition, one grid node per layer;
/// the activation network's gradients, summed over the layers inside one backward of the network instead of by
/// autograd, agree with it to float rounding; and it is deterministic.
/// </summary>
public sealed class GridStackTests
{
    public static TheoryData<BaseActivation> Bases() => EvaluatorCases.Bases();

    [Theory]
    [MemberData(nameof(Bases))]
    public void TheStackGivesTheGradientsOfOneNodePerLayer(BaseActivation baseActivation)
    {
        using var scope = NewDisposeScope();
        var (stacked, layered) = (new Stack(baseActivation, seed: 5), new Stack(baseActivation, seed: 5));
        var (input, upstream) = Batch(seed: 6, rows: 512);

        var top = stacked.Stacked(input);
        Assert.NotNull(top);
        var expected = layered.Layered(input);

        Assert.Equal(Bits(expected), Bits(top!));
        top!.backward([upstream]);
        expected.backward([upstream]);
        Assert.Equal(layered.OuterGradientBits(), stacked.OuterGradientBits());
        AssertCloseToRounding(layered.Activation, stacked.Activation);
    }

    [Fact]
    public void TheStackIsDeterministic()
    {
        using var scope = NewDisposeScope();
        var (first, second) = (new Stack(BaseActivation.Relu, seed: 5), new Stack(BaseActivation.Relu, seed: 5));
        var (input, upstream) = Batch(seed: 6, rows: 512);

        first.Stacked(input)!.backward([upstream]);
        second.Stacked(input)!.backward([upstream]);

        Assert.Equal(first.OuterGradientBits(), second.OuterGradientBits());
        Assert.Equal(GradientBits(first.Activation), GradientBits(second.Activation));
    }

    /// <summary>
    /// Training as a run does it: the data loss plus the shape penalty, which reaches the activation network's weights
    /// by its own path. The first step's gradients agree with one node per layer to rounding; five steps of two
    /// networks through the stack have the same bits.
    /// </summary>
    [Theory]
    [InlineData(BaseActivation.Relu)]
    [InlineData(BaseActivation.Tanh)]
    public void TheNetworkTakesTheStackAndTrainsAsLayerByLayer(BaseActivation baseActivation)
    {
        using var scope = NewDisposeScope();
        var config = new ModelConfig(baseActivation, SizePreset.Large, SizePreset.Large);
        using var stacked = new LearnedActivationNetwork(10, config, new Generator(3, CPU), GridActivationEvaluator.Instance);
        using var again = new LearnedActivationNetwork(10, config, new Generator(3, CPU), GridActivationEvaluator.Instance);
        using var layered = new LearnedActivationNetwork(10, config, new Generator(3, CPU), GridActivationEvaluator.Instance);
        using var stackedOptimizer = new AdamOptimizer(stacked.parameters(), 1e-2);
        using var againOptimizer = new AdamOptimizer(again.parameters(), 1e-2);
        using var layeredOptimizer = new AdamOptimizer(layered.parameters(), 1e-2);
        var generator = new Generator(4, CPU);
        var features = randn([700, 10], generator: generator);
        var labels = rand([700], generator: generator).gt(0.5).to(ScalarType.Float32);

        Step(stacked, stackedOptimizer, net => net.forward(features));
        Step(layered, layeredOptimizer, net => net.forward(features, observe: (_, _, _) => { }));
        AssertCloseToRounding(layered, stacked);

        Step(again, againOptimizer, net => net.forward(features));
        for (var step = 1; step < 5; step++)
        {
            Step(stacked, stackedOptimizer, net => net.forward(features));
            Step(again, againOptimizer, net => net.forward(features));
        }

        Assert.Equal(ParameterBits(again), ParameterBits(stacked));

        void Step(LearnedActivationNetwork network, AdamOptimizer optimizer, Func<LearnedActivationNetwork, Tensor> forward)
        {
            using var stepScope = NewDisposeScope();
            optimizer.ZeroGrad();
            var loss = nn.functional.binary_cross_entropy_with_logits(forward(network), labels);
            loss.add(new ShapePenalty(network.Activation, 0.5).Compute()).backward();
            optimizer.Step();
        }
    }

    [Fact]
    public void AMultitaskNetworkTakesTheStackAndTrainsAsLayerByLayer()
    {
        // One shared activation, two outer networks: the shared weights' gradients sum terms of both tasks' stacks
        // and the penalty.
        using var scope = NewDisposeScope();
        var config = new ModelConfig(BaseActivation.Relu, SizePreset.Large, SizePreset.Large);
        using var stacked = new MultitaskNetwork([10, 6], config, new Generator(3, CPU), GridActivationEvaluator.Instance);
        using var layered = new MultitaskNetwork([10, 6], config, new Generator(3, CPU), GridActivationEvaluator.Instance);
        using var stackedOptimizer = new AdamOptimizer(stacked.parameters(), 1e-2);
        using var layeredOptimizer = new AdamOptimizer(layered.parameters(), 1e-2);
        var generator = new Generator(4, CPU);
        Tensor[] features = [randn([600, 10], generator: generator), randn([600, 6], generator: generator)];
        var labels = features.Select(_ => rand([600], generator: generator).gt(0.5).to(ScalarType.Float32)).ToArray();

        Step(stacked, stackedOptimizer, (net, t) => net.Task(t).forward(features[t]));
        Step(layered, layeredOptimizer, (net, t) => net.Task(t).forward(features[t], observe: (_, _, _) => { }));
        AssertCloseToRounding(layered, stacked);

        void Step(MultitaskNetwork network, AdamOptimizer optimizer, Func<MultitaskNetwork, int, Tensor> forward)
        {
            using var stepScope = NewDisposeScope();
            optimizer.ZeroGrad();
            var losses = Enumerable.Range(0, 2).Select(t => nn.functional.binary_cross_entropy_with_logits(forward(network, t), labels[t])).ToArray();
            new ShapePenalty(network.Activation, 0.5).AddTo(MultitaskLoss.Combine(losses), 0.5).backward();
            optimizer.Step();
        }
    }

    [Fact]
    public void BackwardNeedsNoHandleTheCallerHasDisposed()
    {
        // Forward in a dispose scope of its own, backward after it: the node keeps its tensors as autograd's saved
        // variables, not as the caller's handles (an exception in backward would end the process).
        using var scope = NewDisposeScope();
        var (stacked, layered) = (new Stack(BaseActivation.Relu, seed: 5), new Stack(BaseActivation.Relu, seed: 5));
        var (input, upstream) = Batch(seed: 6, rows: 512);
        Tensor top;
        using (NewDisposeScope())
        {
            top = stacked.Stacked(input)!.MoveToOuterDisposeScope();
        }

        top.backward([upstream]);
        layered.Layered(input).backward([upstream]);

        Assert.Equal(layered.OuterGradientBits(), stacked.OuterGradientBits());
        AssertCloseToRounding(layered.Activation, stacked.Activation);
    }

    [Fact]
    public void ANonFiniteColumnInsideTheStackSendsTheCallerLayerByLayer()
    {
        using var scope = NewDisposeScope();
        var stack = new Stack(BaseActivation.Tanh, seed: 8);
        var (input, _) = Batch(seed: 9, rows: 512);
        using (no_grad())
        {
            stack.Following[0].bias![3] = float.NaN;
        }

        Assert.Null(stack.Stacked(input));
    }

    [Fact]
    public void ALayerWithNoMoreScalarsThanKnotsSendsTheCallerLayerByLayer()
    {
        using var scope = NewDisposeScope();
        var stack = new Stack(BaseActivation.Relu, seed: 8);
        var (input, _) = Batch(seed: 9, rows: GridActivationEvaluator.DefaultKnots / Stack.Widths[^1]);

        Assert.Null(stack.Stacked(input));
    }

    [Fact]
    public void WithoutBackwardTheStackDeclines()
    {
        using var scope = NewDisposeScope();
        var stack = new Stack(BaseActivation.Gelu, seed: 8);
        var (input, _) = Batch(seed: 9, rows: 512);
        using var noGrad = no_grad();

        Assert.Null(stack.Stacked(input));
    }

    private static (Tensor Input, Tensor Upstream) Batch(int seed, long rows)
    {
        var generator = new Generator((ulong)seed, CPU);
        return (randn([rows, 10], generator: generator), randn([rows, Stack.Widths[^1]], generator: generator));
    }

    private static byte[] Bits(Tensor tensor) => MemoryMarshal.AsBytes(tensor.detach().contiguous().data<float>().ToArray().AsSpan()).ToArray();

    private static byte[][] GradientBits(nn.Module module) => [.. module.parameters().Select(p => Bits(p.grad!))];

    private static byte[][] ParameterBits(nn.Module module) => [.. module.parameters().Select(Bits)];

    /// <summary>
    /// Every gradient of <paramref name="actual"/> within float rounding of <paramref name="expected"/>'s: per tensor,
    /// no element further than 3e-6 of the tensor's largest magnitude. Measured: the two sums differ by at most 6e-7 of
    /// it; leaving out the first layer's term (checked) moves them by 2e-5 to 1e-2.
    /// </summary>
    private static void AssertCloseToRounding(nn.Module expected, nn.Module actual)
    {
        foreach (var (e, a) in expected.named_parameters().Zip(actual.named_parameters()))
        {
            var want = e.parameter.grad!.data<float>().ToArray();
            var got = a.parameter.grad!.data<float>().ToArray();
            Assert.All(got, g => Assert.True(float.IsFinite(g), $"{a.name}: {g}"));
            var scale = want.Max(Math.Abs);
            Assert.True(scale > 0, $"{e.name}: no gradient");
            var worst = want.Zip(got, (w, g) => Math.Abs(w - g)).Max();
            Assert.True(worst <= 3e-6 * scale, $"{e.name}: {worst:G3} apart, {worst / scale:G3} of its largest gradient {scale:G3}");
        }
    }

    /// <summary>Three outer layers (10 -> 64 -> 48 -> 32) around one activation network; the same seed, the same weights.</summary>
    private sealed class Stack
    {
        public static readonly int[] Widths = [64, 48, 32];

        public Stack(BaseActivation baseActivation, int seed)
        {
            var generator = new Generator((ulong)seed, CPU);
            Activation = new ActivationNetwork([16, 16, 16], baseActivation, generator, GridActivationEvaluator.Instance);
            First = Linear(10, Widths[0], generator);
            Following = [Linear(Widths[0], Widths[1], generator), Linear(Widths[1], Widths[2], generator)];
        }

        public ActivationNetwork Activation { get; }

        public Linear First { get; }

        public Linear[] Following { get; }

        public Tensor? Stacked(Tensor input) => GridActivationEvaluator.Instance.EvaluateStack(Activation, First.forward(input), Following);

        public Tensor Layered(Tensor input)
        {
            var hidden = Activation.forward(First.forward(input));
            foreach (var layer in Following)
            {
                hidden = Activation.forward(layer.forward(hidden));
            }

            return hidden;
        }

        /// <summary>The outer layers' gradients, which the stack computes with libtorch's own operations.</summary>
        public byte[][] OuterGradientBits()
        {
            var modules = new nn.Module[] { First, Following[0], Following[1] };
            return [.. modules.SelectMany(m => m.parameters()).Select(p => Bits(p.grad!))];
        }

        private static Linear Linear(int inputs, int outputs, Generator generator)
        {
            var layer = nn.Linear(inputs, outputs);
            LinearInit.Reset(layer, generator);
            return layer;
        }
    }
}
