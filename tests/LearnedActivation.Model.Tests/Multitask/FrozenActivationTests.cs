using LearnedActivation.Model.Checkpoints;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Multitask;
using LearnedActivation.Model.Networks;
using LearnedActivation.Model.Tests.Support;
using LearnedActivation.Model.Training;

namespace LearnedActivation.Model.Tests.Multitask;

public sealed class FrozenActivationTests
{
    [Fact]
    public void AFrozenActivationStaysBitIdenticalWhileTheOuterNetworkTrains()
    {
        using var folder = new LearnedActivation.Tests.TempDirectory();
        var source = Path.Combine(folder.Path, "activation.dat");
        using (var donor = new LearnedActivationNetwork(4, new ModelConfig(BaseActivation.Tanh, SizePreset.Small, SizePreset.Small), new TorchSharp.torch.Generator(99)))
        {
            ActivationWeights.Save(donor.Activation, source);
        }

        var spec = SyntheticTables.Spec(epochs: 2);
        using var session = TrainingSession.Create(spec, SyntheticTables.Splits(), network => FrozenActivation.LoadAndFreeze(network.Activation, source));
        var loaded = SyntheticTables.ParameterBytes(session.Model.Activation);
        var outerBefore = session.Model.named_parameters().Where(p => !p.name.StartsWith("activation.", StringComparison.Ordinal)).Select(p => p.parameter.data<float>().ToArray()).ToList();

        session.RunToCompletion();

        using (var reference = new ActivationNetwork(StudyPresets.ActivationHidden(SizePreset.Small), BaseActivation.Tanh))
        {
            ActivationWeights.Load(reference, source);
            Assert.Equal(SyntheticTables.ParameterBytes(reference), loaded);
        }

        Assert.Equal(loaded, SyntheticTables.ParameterBytes(session.Model.Activation));
        var outerAfter = session.Model.named_parameters().Where(p => !p.name.StartsWith("activation.", StringComparison.Ordinal)).Select(p => p.parameter.data<float>().ToArray()).ToList();
        Assert.All(outerBefore.Zip(outerAfter), p => Assert.NotEqual(p.First, p.Second));
    }
}
