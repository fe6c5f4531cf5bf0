using LearnedActivation.Model.Checkpoints;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Tests.Support;
using LearnedActivation.Model.Training;

namespace LearnedActivation.Model.Tests.Training;

/// <summary>The transfer arms (issue 15): what each does with the activation network, measured bit for bit.</summary>
public sealed class TransferArmsTests
{
    private static readonly LearnedActivation.Model.Data.DataSplits Source = SyntheticTables.Splits(seed: 1);
    private static readonly LearnedActivation.Model.Data.DataSplits Target = SyntheticTables.Splits(train: 1500, width: 6, seed: 2);

    /// <summary>A learned run's activation as the transfer reads it: the bytes of its saved activation.dat.</summary>
    private static (SourceActivationWeights Weights, byte[] ParameterBytes) TrainedSource()
    {
        using var session = TrainingSession.Create(SyntheticTables.Spec(epochs: 2, seed: 3), Source);
        session.RunToCompletion();
        var folder = Directory.CreateTempSubdirectory("learnact-transfer-test-");
        try
        {
            var files = session.SaveActivationWeights(Path.Combine(folder.FullName, "activation.dat"));
            return (new SourceActivationWeights(File.ReadAllBytes(files.TorchSharp)), SyntheticTables.ParameterBytes(session.Model.Activation));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static RunSpec TransferSpec(StudyArm arm, SourceActivationWeights? source, int epochs = 3) =>
        SyntheticTables.Spec(epochs: epochs, seed: 11, arm: arm, learningRate: 0.02) with { SourceActivation = source };

    [Fact]
    public void FrozenKeepsTheSourceWeightsBitIdenticalThroughTrainingAndResume()
    {
        var (source, sourceBytes) = TrainedSource();
        var spec = TransferSpec(StudyArm.Frozen, source);
        using var session = TrainingSession.Create(spec, Target);
        var outerBefore = SyntheticTables.ParameterBytes(session.Model);

        session.RunEpoch();
        using var checkpoint = new MemoryStream();
        session.SaveCheckpoint(checkpoint);
        checkpoint.Position = 0;
        using var resumed = TrainingSession.Restore(spec, Target, checkpoint);
        resumed.RunToCompletion();
        session.RunToCompletion();

        Assert.Equal(sourceBytes, SyntheticTables.ParameterBytes(session.Model.Activation));
        Assert.Equal(sourceBytes, SyntheticTables.ParameterBytes(resumed.Model.Activation));
        Assert.NotEqual(outerBefore, SyntheticTables.ParameterBytes(session.Model));
        Assert.Equal(SyntheticTables.ParameterBytes(session.Model), SyntheticTables.ParameterBytes(resumed.Model));
        Assert.True(session.Model.Activation.parameters().All(p => !p.requires_grad));
    }

    [Fact]
    public void FinetunedStartsFromTheSourceWeightsExactlyAndThenLearnsThem()
    {
        var (source, sourceBytes) = TrainedSource();
        using var session = TrainingSession.Create(TransferSpec(StudyArm.Finetuned, source), Target);

        Assert.Equal(sourceBytes, SyntheticTables.ParameterBytes(session.Model.Activation));
        session.RunEpoch();
        Assert.NotEqual(sourceBytes, SyntheticTables.ParameterBytes(session.Model.Activation));
    }

    [Fact]
    public void RandomFrozenIsTheLearnedArmsFreshInitialisationNeverTrained()
    {
        using var learned = TrainingSession.Create(TransferSpec(StudyArm.Learned, null), Target);
        using var randomFrozen = TrainingSession.Create(TransferSpec(StudyArm.RandomFrozen, null), Target);
        var initial = SyntheticTables.ParameterBytes(learned.Model.Activation);

        Assert.Equal(initial, SyntheticTables.ParameterBytes(randomFrozen.Model.Activation));
        randomFrozen.RunToCompletion();
        Assert.Equal(initial, SyntheticTables.ParameterBytes(randomFrozen.Model.Activation));
    }

    [Fact]
    public void EveryTransferArmStartsFromTheSameOuterWeightsAsFixed()
    {
        var (source, _) = TrainedSource();
        using var fixedRun = TrainingSession.Create(TransferSpec(StudyArm.Fixed, null), Target);
        var outer = OuterBytes(fixedRun);
        foreach (var arm in new[] { StudyArm.Learned, StudyArm.Frozen, StudyArm.Finetuned, StudyArm.RandomFrozen })
        {
            using var session = TrainingSession.Create(TransferSpec(arm, arm.NeedsSourceActivation() ? source : null), Target);
            Assert.Equal(outer, OuterBytes(session));
        }
    }

    [Fact]
    public void AFrozenRunWithoutASourceIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => TrainingSession.Create(TransferSpec(StudyArm.Frozen, null), Target));
        Assert.Contains("source", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSourceWeightsArePartOfTheRunsHash()
    {
        var (source, _) = TrainedSource();
        var other = new SourceActivationWeights([.. File.ReadAllBytes(typeof(TransferArmsTests).Assembly.Location).Take(64)]);
        Assert.NotEqual(TransferSpec(StudyArm.Frozen, source).Hash(), TransferSpec(StudyArm.Frozen, other).Hash());
    }

    private static byte[] OuterBytes(TrainingSession session) =>
        [.. session.Model.named_parameters().Where(p => !p.name.StartsWith("activation.", StringComparison.Ordinal)).SelectMany(p => System.Runtime.InteropServices.MemoryMarshal.AsBytes(p.parameter.data<float>().ToArray().AsSpan()).ToArray())];
}
