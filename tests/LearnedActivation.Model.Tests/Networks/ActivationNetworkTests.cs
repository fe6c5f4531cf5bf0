using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Evaluation;
using LearnedActivation.Model.Networks;
using LearnedActivation.Model.Tests.Evaluation;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Tests.Networks;

public sealed class ActivationNetworkTests
{
    [Theory]
    [InlineData(new long[] { 7 })]
    [InlineData(new long[] { 3, 5 })]
    [InlineData(new long[] { 2, 3, 4 })]
    [InlineData(new long[] { 1, 1 })]
    public void OutputHasTheShapeOfTheInput(long[] shape)
    {
        using var network = new ActivationNetwork([16, 8], BaseActivation.Tanh, new Generator(1, CPU));
        using var scope = NewDisposeScope();

        var output = network.forward(randn(shape));

        Assert.Equal(shape, output.shape);
    }

    [Theory]
    [MemberData(nameof(EvaluatorCases.Bases), MemberType = typeof(EvaluatorCases))]
    public void ComputesTheMlpWithTheBaseActivationBetweenLayersOnly(BaseActivation baseActivation)
    {
        using var network = new ActivationNetwork([32, 16, 8], baseActivation, new Generator(3, CPU));
        using var scope = NewDisposeScope();
        float[] inputs = [-7.5f, -2f, -0.3f, 0f, 0.01f, 1f, 4.2f];

        var outputs = network.forward(tensor(inputs)).data<float>().ToArray();

        for (var i = 0; i < inputs.Length; i++)
        {
            Assert.Equal(ReferenceActivation.Evaluate(network, inputs[i]), outputs[i], tolerance: 1e-5);
        }
    }

    [Fact]
    public void IsAppliedElementwise()
    {
        using var network = new ActivationNetwork([16, 8], BaseActivation.Gelu, new Generator(5, CPU));
        using var scope = NewDisposeScope();
        var input = randn(4, 6, generator: new Generator(9, CPU));

        var batched = network.forward(input).data<float>().ToArray();
        var values = input.data<float>().ToArray();

        for (var i = 0; i < values.Length; i++)
        {
            var alone = network.forward(tensor(new[] { values[i] })).item<float>();
            Assert.Equal(alone, batched[i], tolerance: 1e-6);
        }
    }

    [Fact]
    public void StateDictKeysAreThoseOfAPyTorchModuleList()
    {
        using var network = new ActivationNetwork([16, 8], BaseActivation.Relu);

        var keys = network.state_dict().Select(kv => $"{kv.Key}:{string.Join('x', kv.Value.shape)}").ToArray();

        Assert.Equal(
            ["layers.0.weight:16x1", "layers.0.bias:16", "layers.1.weight:8x16", "layers.1.bias:8", "layers.2.weight:1x8", "layers.2.bias:1"],
            keys);
    }

    [Fact]
    public void InitialWeightsDependOnlyOnTheGivenGenerator()
    {
        using var first = new ActivationNetwork([32, 16, 8], BaseActivation.Tanh, new Generator(11, CPU));
        rand(1000).Dispose(); // draws from the global generator must not matter
        using var second = new ActivationNetwork([32, 16, 8], BaseActivation.Tanh, new Generator(11, CPU));
        using var other = new ActivationNetwork([32, 16, 8], BaseActivation.Tanh, new Generator(12, CPU));

        Assert.Equal(Support.SyntheticTables.ParameterBytes(first), Support.SyntheticTables.ParameterBytes(second));
        Assert.NotEqual(Support.SyntheticTables.ParameterBytes(first), Support.SyntheticTables.ParameterBytes(other));
    }

    [Fact]
    public void InitialWeightsFollowPyTorchsLinearDefaultBounds()
    {
        using var network = new ActivationNetwork([32, 16, 8], BaseActivation.Tanh, new Generator(2, CPU));

        foreach (var layer in network.Layers)
        {
            var bound = 1 / Math.Sqrt(layer.in_features);
            var values = layer.weight!.data<float>().ToArray().Concat(layer.bias!.data<float>().ToArray()).ToArray();
            Assert.All(values, v => Assert.InRange(v, -bound, bound));
            Assert.True(values.Max() - values.Min() > bound, "weights should spread over the interval");
        }
    }

    [Fact]
    public void UsesTheEvaluatorItWasGiven()
    {
        var evaluator = new CountingEvaluator();
        using var network = new ActivationNetwork([4], BaseActivation.Tanh, new Generator(1, CPU), evaluator);
        using var scope = NewDisposeScope();

        var output = network.forward(ones(2, 3));

        Assert.Equal(1, evaluator.Calls);
        Assert.Equal([6L, 1L], evaluator.LastShape);
        Assert.Equal(ExactActivationEvaluator.Instance.Evaluate(network, ones(6, 1)).reshape(2, 3).data<float>().ToArray(), output.data<float>().ToArray());
    }

    private sealed class CountingEvaluator : IActivationEvaluator
    {
        public int Calls { get; private set; }

        public long[] LastShape { get; private set; } = [];

        public string Name => "counting";

        public Tensor Evaluate(ActivationNetwork network, Tensor column)
        {
            Calls++;
            LastShape = column.shape;
            return ExactActivationEvaluator.Instance.Evaluate(network, column);
        }
    }
}
