using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Networks;
using LearnedActivation.Model.Training;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Tests.Training;

public sealed class OptimizerGroupsTests
{
    private const int Features = 6;

    [Fact]
    public void LearnedArmDecaysTheActivationNetworkOnly()
    {
        using var network = new LearnedActivationNetwork(Features, new ModelConfig(BaseActivation.Tanh, SizePreset.Small, SizePreset.Small, StudyArm.Learned), new Generator(1, CPU));
        var groups = OptimizerGroups.For(network, StudyArm.Learned, 1e-3);

        Assert.Equal(2, groups.Count);
        Assert.Equal(0, groups[0].WeightDecay);
        Assert.Equal(OptimizerGroups.LearnedActivationWeightDecay, groups[1].WeightDecay);
        Assert.True(groups[1].WeightDecay > 0);
        Assert.All(groups, g => Assert.Equal(1e-3, g.LearningRate));
        Assert.Equal(network.Activation.parameters().Count(), groups[1].Parameters.Count());
        Assert.Equal(network.Parameters.Activation, groups[1].Parameters.Sum(p => p.numel()));
    }

    [Theory]
    [InlineData(StudyArm.Warm)]
    [InlineData(StudyArm.Fixed)]
    public void OtherArmsTrainWithoutDecay(StudyArm arm)
    {
        using var network = new LearnedActivationNetwork(Features, new ModelConfig(BaseActivation.Relu, SizePreset.Small, SizePreset.Small, arm), new Generator(1, CPU));
        Assert.All(OptimizerGroups.For(network, arm, 1e-3), g => Assert.Equal(0, g.WeightDecay));
    }

    [Fact]
    public void GroupsListTheParametersInTheModulesOrder()
    {
        // The optimizer's saved moments follow this order; it must stay that of parameters() so checkpoints keep their layout.
        using var network = new LearnedActivationNetwork(Features, new ModelConfig(BaseActivation.Gelu, SizePreset.Medium, SizePreset.Small, StudyArm.Learned), new Generator(2, CPU));
        var grouped = OptimizerGroups.For(network, StudyArm.Learned, 1e-3).SelectMany(g => g.Parameters).ToArray();
        var ordered = network.parameters().ToArray();
        Assert.Equal(ordered.Length, grouped.Length);
        for (var i = 0; i < ordered.Length; i++)
        {
            Assert.Equal(ordered[i].Handle, grouped[i].Handle);
        }
    }
}
