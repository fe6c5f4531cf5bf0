using LearnedActivation.Model.Configuration;

namespace LearnedActivation.Model.Tests.Configuration;

/// <summary>Arm names, run names and the spec hash: every arm is told apart, and the learned arm keeps the study's names.</summary>
public sealed class StudyArmTests
{
    [Fact]
    public void ArmsAreNamedInKebabCaseAndParsedBack()
    {
        Assert.Equal(["learned", "warm", "fixed", "fixed-wide", "frozen", "finetuned", "random-frozen"], Enum.GetValues<StudyArm>().Select(Names.Of));
        Assert.Equal("learned|warm|fixed|fixed-wide|frozen|finetuned|random-frozen", Names.Accepted<StudyArm>());
        Assert.Equal(StudyArm.FixedWide, Names.ParseArm("Fixed-Wide"));
        Assert.Throws<ArgumentException>(() => Names.ParseArm("fixedwide"));
    }

    [Fact]
    public void RunNamesAreUniqueAndTheLearnedArmKeepsTheOriginalNames()
    {
        Assert.Equal("tanh_small_large", new ModelConfig(BaseActivation.Tanh, SizePreset.Small, SizePreset.Large).Name);
        Assert.Equal("tab_classification_covertype_tanh_small_large.png", new ModelConfig(BaseActivation.Tanh, SizePreset.Small, SizePreset.Large, StudyArm.Learned).ActivationPlotFileName);
        Assert.Equal("tanh_small_large_warm", new ModelConfig(BaseActivation.Tanh, SizePreset.Small, SizePreset.Large, StudyArm.Warm).Name);
        Assert.Equal("tanh_small_fixed", new ModelConfig(BaseActivation.Tanh, SizePreset.Small, SizePreset.Large, StudyArm.Fixed).Name);
        Assert.Equal("relu_large_fixed-wide", new ModelConfig(BaseActivation.Relu, SizePreset.Large, SizePreset.Medium, StudyArm.FixedWide).Name);
    }

    [Fact]
    public void TheActivationSizeDoesNotApplyToTheFixedArms()
    {
        foreach (var arm in new[] { StudyArm.Fixed, StudyArm.FixedWide })
        {
            Assert.Equal(new ModelConfig(BaseActivation.Gelu, SizePreset.Medium, SizePreset.Small, arm), new ModelConfig(BaseActivation.Gelu, SizePreset.Medium, SizePreset.Large, arm));
            Assert.Empty(new ModelConfig(BaseActivation.Gelu, SizePreset.Medium, SizePreset.Large, arm).ActivationHidden);
        }
    }

    [Fact]
    public void TheArmIsPartOfTheSpecHash()
    {
        var hashes = Enum.GetValues<StudyArm>()
            .Select(arm => new RunSpec(new ModelConfig(BaseActivation.Tanh, SizePreset.Small, SizePreset.Small, arm), new TrainConfig(), "data").Hash())
            .ToList();
        Assert.Equal(hashes.Count, hashes.Distinct().Count());

        var spec = new RunSpec(new ModelConfig(BaseActivation.Tanh, SizePreset.Small, SizePreset.Small), new TrainConfig(), "data");
        Assert.NotEqual(spec.Hash(), (spec with { Train = spec.Train with { Patience = spec.Train.Patience + 1 } }).Hash());
        Assert.NotEqual(spec.Hash(), (spec with { Train = spec.Train with { Epochs = spec.Train.Epochs + 1 } }).Hash());
    }
}
