using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Networks;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Tests.Networks;

public sealed class LearnedActivationNetworkTests
{
    private static readonly ModelConfig Config = new(BaseActivation.Tanh, SizePreset.Medium, SizePreset.Small);

    [Theory]
    [InlineData(SizePreset.Small, 1)]
    [InlineData(SizePreset.Medium, 17)]
    [InlineData(SizePreset.Large, 512)]
    public void ProducesOneLogitPerRow(SizePreset outer, int rows)
    {
        using var network = new LearnedActivationNetwork(10, new ModelConfig(BaseActivation.Gelu, outer, SizePreset.Small), new Generator(1, CPU));
        using var scope = NewDisposeScope();

        var logits = network.forward(randn(rows, 10));

        Assert.Equal([(long)rows], logits.shape);
    }

    [Fact]
    public void StateDictKeysReadLikePyTorch()
    {
        using var network = new LearnedActivationNetwork(10, Config);

        var keys = network.state_dict().Select(kv => $"{kv.Key}:{string.Join('x', kv.Value.shape)}").ToArray();

        Assert.Equal(
            [
                "layers.0.weight:48x10", "layers.0.bias:48",
                "layers.1.weight:24x48", "layers.1.bias:24",
                "layers.2.weight:16x24", "layers.2.bias:16",
                "output.weight:1x16", "output.bias:1",
                "activation.layers.0.weight:16x1", "activation.layers.0.bias:16",
                "activation.layers.1.weight:8x16", "activation.layers.1.bias:8",
                "activation.layers.2.weight:1x8", "activation.layers.2.bias:1",
            ],
            keys);
    }

    [Fact]
    public void CountsTheSharedActivationsParametersOnce()
    {
        using var network = new LearnedActivationNetwork(10, Config);

        var parameters = network.parameters().ToArray();

        // Outer: 3 hidden layers + output; activation: 3 layers; each a weight and a bias.
        Assert.Equal(2 * (3 + 1 + 3), parameters.Length);
        Assert.Equal(parameters.Length, parameters.Select(p => p.Handle).Distinct().Count());
        var outer = (10 * 48) + 48 + (48 * 24) + 24 + (24 * 16) + 16 + 16 + 1;
        var activation = 16 + 16 + (16 * 8) + 8 + 8 + 1;
        Assert.Equal(outer + activation, parameters.Sum(p => p.numel()));
    }

    [Fact]
    public void AppliesTheSameScalarFunctionAtEveryNeuronOfEveryLayer()
    {
        using var network = new LearnedActivationNetwork(10, Config, new Generator(4, CPU));
        using var scope = NewDisposeScope();
        var seen = new List<(int Layer, float[] Pre, float[] Post)>();

        network.forward(randn(5, 10, generator: new Generator(8, CPU)), (layer, pre, post) =>
            seen.Add((layer, pre.data<float>().ToArray(), post.data<float>().ToArray())));

        Assert.Equal([0, 1, 2], seen.Select(s => s.Layer));
        foreach (var (layer, pre, post) in seen)
        {
            Assert.Equal(5 * Config.OuterHidden[layer], pre.Length);
            for (var i = 0; i < pre.Length; i++)
            {
                Assert.Equal(ReferenceActivation.Evaluate(network.Activation, pre[i]), post[i], tolerance: 1e-5);
            }
        }
    }

    [Fact]
    public void GradientReachesTheActivationFromEveryLayerAndNothingElse()
    {
        using var network = new LearnedActivationNetwork(10, Config, new Generator(6, CPU));
        using var scope = NewDisposeScope();
        var activationParameters = network.Activation.parameters().Cast<Tensor>().ToList();
        var pres = new List<Tensor>();
        var posts = new List<Tensor>();
        var loss = network.forward(randn(32, 10, generator: new Generator(2, CPU)), (_, pre, post) =>
        {
            pres.Add(pre);
            posts.Add(post);
        }).square().sum();

        // Layer i's share of dL/dtheta: dL/dpost_i times the activation's own derivative at layer i, with its
        // input held fixed (earlier layers' uses of theta reach pre_i and are counted under their own index).
        var upstream = autograd.grad([loss], posts, retain_graph: true);
        var perLayer = pres.Select((pre, i) =>
            autograd.grad([(network.Activation.forward(pre.detach()) * upstream[i].detach()).sum()], activationParameters)).ToList();
        var total = autograd.grad([loss], activationParameters);

        foreach (var contribution in perLayer)
        {
            Assert.All(contribution, g => Assert.True(g.abs().sum().item<float>() > 0, "every layer's activation use must send gradient to the shared network"));
        }

        for (var p = 0; p < activationParameters.Count; p++)
        {
            var summed = perLayer.Select(c => c[p]).Aggregate((a, b) => a + b);
            Assert.True(summed.allclose(total[p], rtol: 1e-4, atol: 1e-6), $"the layers' contributions must add up to the gradient of {p}");
        }
    }

    [Fact]
    public void RejectsAnOuterNetworkWithoutHiddenLayers()
    {
        Assert.Throws<ArgumentException>(() => new LearnedActivationNetwork(10, [], [16], BaseActivation.Tanh));
        Assert.Throws<ArgumentException>(() => new LearnedActivationNetwork(10, [8, 0], [16], BaseActivation.Tanh));
    }

    [Fact]
    public void OneActivationModuleServesAllLayers()
    {
        using var network = new LearnedActivationNetwork(10, Config);

        var activationModules = network.modules().OfType<ActivationNetwork>().ToArray();

        Assert.Single(activationModules);
        Assert.Same(network.Activation, activationModules[0]);
        Assert.Equal(3 + 1, network.modules().OfType<Linear>().Count(l => !network.Activation.Layers.Contains(l)));
    }
}
