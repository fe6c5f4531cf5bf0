using LearnedActivation.Model.Bases;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Networks;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Tests.Networks;

/// <summary>Each arm builds its network: the layers, the parameter counts, and the same outer start for one seed.</summary>
public sealed class ArmNetworkTests
{
    private const int Features = 10;

    public static TheoryData<SizePreset, SizePreset> Sizes()
    {
        var data = new TheoryData<SizePreset, SizePreset>();
        foreach (var outer in Enum.GetValues<SizePreset>())
        {
            foreach (var act in Enum.GetValues<SizePreset>())
            {
                data.Add(outer, act);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void LearnedAndWarmCountEveryLayerOfBothNetworks(SizePreset outer, SizePreset act)
    {
        foreach (var arm in new[] { StudyArm.Learned, StudyArm.Warm })
        {
            var config = new ModelConfig(BaseActivation.Tanh, outer, act, arm);
            using var network = new LearnedActivationNetwork(Features, config, new Generator(1, CPU));

            Assert.True(network.HasActivationNetwork);
            Assert.Equal(config.ActivationHidden, network.Activation.Layers.SkipLast(1).Select(l => (int)l.out_features));
            Assert.Equal(StudyPresets.OuterHidden(outer), network.HiddenWidths);
            Assert.Equal(HandCount(Features, StudyPresets.OuterHidden(outer)), network.Parameters.Outer);
            Assert.Equal(HandCount(1, StudyPresets.ActivationHidden(act)), network.Parameters.Activation);
            Assert.Equal(network.parameters().Sum(p => p.numel()), network.Parameters.Total);
            Assert.Equal(config.ParametersFor(Features), network.Parameters);
        }
    }

    [Theory]
    [InlineData(BaseActivation.Tanh)]
    [InlineData(BaseActivation.Relu)]
    [InlineData(BaseActivation.Gelu)]
    public void FixedHasNoActivationNetworkAndAppliesThePlainBase(BaseActivation baseActivation)
    {
        var config = new ModelConfig(baseActivation, SizePreset.Medium, SizePreset.Large, StudyArm.Fixed);
        using var network = new LearnedActivationNetwork(Features, config, new Generator(3, CPU));

        Assert.False(network.HasActivationNetwork);
        Assert.Throws<InvalidOperationException>(() => network.Activation);
        Assert.Equal(0, network.Parameters.Activation);
        Assert.Equal(HandCount(Features, StudyPresets.OuterHidden(SizePreset.Medium)), network.Parameters.Outer);
        Assert.DoesNotContain(network.named_parameters(), p => p.name.StartsWith("activation.", StringComparison.Ordinal));

        // By hand: linear, base, linear, base, ..., output.
        using var noGrad = no_grad();
        var input = randn(32, Features, generator: new Generator(4, CPU));
        var hidden = input;
        var named = network.named_modules().ToDictionary(m => m.name, m => m.module);
        var layers = Enumerable.Range(0, network.HiddenWidths.Count).Select(i => (Linear)named[$"layers.{i}"]).Append((Linear)named["output"]).ToList();
        foreach (var layer in layers.SkipLast(1))
        {
            hidden = BaseActivations.Of(baseActivation).Apply(layer.forward(hidden));
        }

        var expected = layers[^1].forward(hidden).squeeze(-1);
        Assert.True(expected.allclose(network.forward(input)), "the fixed network is not the plain composition");
    }

    [Fact]
    public void OneSeedStartsTheLearnedAndTheFixedArmFromTheSameOuterWeights()
    {
        using var learned = new LearnedActivationNetwork(Features, new ModelConfig(BaseActivation.Relu, SizePreset.Large, SizePreset.Large), new Generator(9, CPU));
        using var plain = new LearnedActivationNetwork(Features, new ModelConfig(BaseActivation.Relu, SizePreset.Large, SizePreset.Large, StudyArm.Fixed), new Generator(9, CPU));

        var outerOfLearned = learned.named_parameters().Where(p => !p.name.StartsWith("activation.", StringComparison.Ordinal)).ToList();
        var outerOfFixed = plain.named_parameters().ToList();
        Assert.Equal(outerOfLearned.Select(p => p.name), outerOfFixed.Select(p => p.name));
        Assert.All(outerOfLearned.Zip(outerOfFixed), pair => Assert.True(pair.First.parameter.equal(pair.Second.parameter).all().item<bool>(), pair.First.name));
    }

    [Theory]
    [InlineData(SizePreset.Small, 10)]
    [InlineData(SizePreset.Medium, 10)]
    [InlineData(SizePreset.Large, 10)]
    [InlineData(SizePreset.Small, 3)]
    [InlineData(SizePreset.Large, 54)]
    public void FixedWideIsTheSmallestCommonWideningThatReachesTheLargeLearnedNetwork(SizePreset outer, int features)
    {
        var preset = StudyPresets.OuterHidden(outer);
        var target = HandCount(features, preset) + HandCount(1, StudyPresets.ActivationHidden(SizePreset.Large));
        var wide = FixedWideRule.For(outer, features);

        Assert.Equal(target, wide.Target);
        Assert.Equal(preset.Select(w => (int)Math.Ceiling(Math.Round(w * wide.Factor, 9))), wide.Widths);
        Assert.True(HandCount(features, wide.Widths) >= target, $"{FixedWideRule.Describe(wide)} has {HandCount(features, wide.Widths)} < {target}");

        // One step less would not reach it: the factor is the smallest on its grid.
        var smaller = wide.Factor - FixedWideRule.FactorStep;
        Assert.True(wide.Factor == 1 || HandCount(features, [.. preset.Select(w => (int)Math.Ceiling(Math.Round(w * smaller, 9)))]) < target);

        // Every learned network of this outer size has at most the large one's parameters.
        foreach (var act in Enum.GetValues<SizePreset>())
        {
            Assert.True(wide.Parameters >= new ModelConfig(BaseActivation.Gelu, outer, act).ParametersFor(features).Total);
        }

        var config = new ModelConfig(BaseActivation.Gelu, outer, SizePreset.Small, StudyArm.FixedWide);
        using var network = new LearnedActivationNetwork(features, config, new Generator(2, CPU));
        Assert.Equal(wide.Widths, network.HiddenWidths);
        Assert.Equal(new ParameterCounts(wide.Parameters, 0), network.Parameters);
    }

    [Fact]
    public void FixedWideWidensTheStudyNetworks()
    {
        // The covertype numbers (10 features), by hand: small 1729 + 737 = 2466 parameters to reach.
        var small = FixedWideRule.For(SizePreset.Small, 10);
        Assert.Equal(2466, small.Target);
        Assert.True(small.Factor > 1);
        Assert.All(small.Widths.Zip(StudyPresets.OuterHidden(SizePreset.Small)), p => Assert.True(p.First > p.Second));
    }

    /// <summary>Weights and biases of an MLP with these widths, counted layer by layer.</summary>
    private static long HandCount(int input, IReadOnlyList<int> hidden)
    {
        var widths = new List<int> { input };
        widths.AddRange(hidden);
        widths.Add(1);
        long count = 0;
        for (var i = 0; i + 1 < widths.Count; i++)
        {
            count += (widths[i] * widths[i + 1]) + widths[i + 1];
        }

        return count;
    }
}
