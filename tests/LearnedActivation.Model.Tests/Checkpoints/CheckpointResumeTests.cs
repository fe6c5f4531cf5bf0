using LearnedActivation.Model.Checkpoints;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Data;
using LearnedActivation.Model.Tests.Support;
using LearnedActivation.Model.Training;

namespace LearnedActivation.Model.Tests.Checkpoints;

public sealed class CheckpointResumeTests
{
    private static readonly DataSplits Data = SyntheticTables.Splits();

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void TrainingKEpochsThenRestoringIntoFreshObjectsEqualsTrainingStraight(int k)
    {
        // Gelu and medium networks exercise more parameters and Adam state than the defaults.
        var spec = SyntheticTables.Spec(epochs: 5, baseActivation: BaseActivation.Gelu, outer: SizePreset.Medium);
        using var straight = TrainingSession.Create(spec, Data);
        var straightResult = straight.RunToCompletion();

        using var resumed = ResumedRun.After(spec, Data, k);
        Assert.Equal(k, resumed.CompletedEpochs);
        var resumedResult = resumed.RunToCompletion();

        Assert.Equal(SyntheticTables.ParameterBytes(straight.Model), SyntheticTables.ParameterBytes(resumed.Model));
        Assert.Equal(SyntheticTables.Reproducible(straight.History), SyntheticTables.Reproducible(resumed.History));
        Assert.Equal(straightResult.BestEpoch, resumedResult.BestEpoch);
        Assert.Equal(straightResult.TestAccuracy, resumedResult.TestAccuracy);
        Assert.Equal(straightResult.TestAuc, resumedResult.TestAuc);
        Assert.Equal(straightResult.ActivationY, resumedResult.ActivationY);
    }

    [Fact]
    public void ACheckpointTakenMidEpochOnCancellationResumesExactly()
    {
        var spec = SyntheticTables.Spec(epochs: 3);
        using var straight = TrainingSession.Create(spec, Data);
        straight.RunToCompletion();

        using var checkpoint = new MemoryStream();
        using (var first = TrainingSession.Create(spec, Data))
        {
            first.RunEpoch();
            using var cancel = new CancellationTokenSource();
            var stopAtSeven = new ImmediateProgress<BatchProgress>(p =>
            {
                if (p.Step == 7)
                {
                    cancel.Cancel();
                }
            });
            Assert.Throws<OperationCanceledException>(() => first.RunEpoch(stopAtSeven, cancel.Token));
            first.SaveCheckpoint(checkpoint);
        }

        checkpoint.Position = 0;
        using var resumed = TrainingSession.Restore(spec, Data, checkpoint);
        Assert.Equal((1, 7), (resumed.CompletedEpochs, resumed.StepInEpoch));
        resumed.RunToCompletion();

        Assert.Equal(SyntheticTables.ParameterBytes(straight.Model), SyntheticTables.ParameterBytes(resumed.Model));
        Assert.Equal(SyntheticTables.Reproducible(straight.History), SyntheticTables.Reproducible(resumed.History));
    }

    [Fact]
    public void AdamStateIsPartOfTheCheckpoint()
    {
        // Control for the tests above: continuing from the same weights with a fresh optimizer diverges,
        // so bit-equality there really depends on the restored moments and step counts.
        var spec = SyntheticTables.Spec(epochs: 2);
        using var straight = TrainingSession.Create(spec, Data);
        straight.RunToCompletion();

        using var first = TrainingSession.Create(spec, Data);
        first.RunEpoch();
        using var freshOptimizer = TrainingSession.Create(spec, Data);
        var weights = new MemoryStream();
        first.Model.save(weights); // closes the stream; ToArray still works
        freshOptimizer.Model.load(new MemoryStream(weights.ToArray()));
        Assert.Equal(SyntheticTables.ParameterBytes(first.Model), SyntheticTables.ParameterBytes(freshOptimizer.Model));

        freshOptimizer.RunEpoch();
        freshOptimizer.RunEpoch();

        Assert.NotEqual(SyntheticTables.ParameterBytes(straight.Model), SyntheticTables.ParameterBytes(freshOptimizer.Model));
    }

    [Fact]
    public void ACompletedRunRestoresAsCompleteWithTheSameResult()
    {
        var spec = SyntheticTables.Spec(epochs: 2);
        using var checkpoint = new MemoryStream();
        RunResult original;
        using (var session = TrainingSession.Create(spec, Data))
        {
            original = session.RunToCompletion();
            session.SaveCheckpoint(checkpoint);
        }

        checkpoint.Position = 0;
        using var restored = TrainingSession.Restore(spec, Data, checkpoint);

        Assert.True(restored.IsComplete);
        var again = restored.Complete();
        Assert.Equal(original.TestAccuracy, again.TestAccuracy);
        Assert.Equal(original.ActivationY, again.ActivationY);
        Assert.Equal(SyntheticTables.Reproducible(original.History), SyntheticTables.Reproducible(again.History));
    }

    [Fact]
    public void ACheckpointOfAnotherSpecIsRefusedNamingBoth()
    {
        var spec = SyntheticTables.Spec();
        var other = SyntheticTables.Spec(baseActivation: BaseActivation.Relu);
        var bytes = CheckpointAfterOneEpoch(spec);

        var error = Assert.Throws<CheckpointException>(() => TrainingSession.Restore(other, Data, new MemoryStream(bytes)));

        Assert.Equal(CheckpointFailure.WrongRun, error.Failure);
        Assert.Contains("tanh_small_small", error.Message, StringComparison.Ordinal);
        Assert.Contains("relu_small_small", error.Message, StringComparison.Ordinal);
        Assert.Contains(spec.Hash(), error.Message, StringComparison.Ordinal);
        Assert.Contains(other.Hash(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ACheckpointOfTheSameConfigWithAnotherSeedIsRefused()
    {
        var bytes = CheckpointAfterOneEpoch(SyntheticTables.Spec(seed: 1));

        var error = Assert.Throws<CheckpointException>(() => TrainingSession.Restore(SyntheticTables.Spec(seed: 2), Data, new MemoryStream(bytes)));

        Assert.Equal(CheckpointFailure.WrongRun, error.Failure);
    }

    [Fact]
    public void ACheckpointMadeOnOtherDataIsRefused()
    {
        var spec = SyntheticTables.Spec();
        var bytes = CheckpointAfterOneEpoch(spec);

        var error = Assert.Throws<CheckpointException>(() => TrainingSession.Restore(spec, SyntheticTables.Splits(seed: 2), new MemoryStream(bytes)));

        Assert.Equal(CheckpointFailure.WrongRun, error.Failure);
        Assert.Contains("other data", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(30)]
    [InlineData(100)]
    [InlineData(-1)]
    public void ATruncatedCheckpointIsRefused(int keep)
    {
        var spec = SyntheticTables.Spec();
        var bytes = CheckpointAfterOneEpoch(spec);
        var length = keep >= 0 ? keep : bytes.Length - 1;

        var error = Assert.Throws<CheckpointException>(() => TrainingSession.Restore(spec, Data, new MemoryStream(bytes[..length])));

        Assert.Equal(CheckpointFailure.Truncated, error.Failure);
        Assert.Matches(keep == 0 ? "empty" : "truncated", error.Message);
    }

    [Theory]
    [InlineData(20)] // inside the spec hash in the header
    [InlineData(200)] // inside the payload
    [InlineData(-1)] // the payload's last byte
    public void ACorruptedCheckpointIsRefused(int offset)
    {
        var spec = SyntheticTables.Spec();
        var bytes = CheckpointAfterOneEpoch(spec);
        bytes[offset >= 0 ? offset : bytes.Length - 1] ^= 0x10;

        var error = Assert.Throws<CheckpointException>(() => TrainingSession.Restore(spec, Data, new MemoryStream(bytes)));

        Assert.Equal(CheckpointFailure.Corrupted, error.Failure);
        Assert.Contains("checksum", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SomethingElseIsNotTakenForACheckpoint()
    {
        var error = Assert.Throws<CheckpointException>(() =>
            TrainingSession.Restore(SyntheticTables.Spec(), Data, new MemoryStream("{\"epoch\": 3, \"weights\": []}"u8.ToArray())));

        Assert.Equal(CheckpointFailure.UnknownFormat, error.Failure);
        Assert.Contains("not a LearnedActivation checkpoint", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ANewerFormatVersionIsRefused()
    {
        var spec = SyntheticTables.Spec();
        var bytes = CheckpointAfterOneEpoch(spec);
        bytes[8] = CheckpointEnvelope.FormatVersion + 1;

        var error = Assert.Throws<CheckpointException>(() => TrainingSession.Restore(spec, Data, new MemoryStream(bytes)));

        Assert.Equal(CheckpointFailure.UnknownFormat, error.Failure);
        Assert.Contains($"version {CheckpointEnvelope.FormatVersion + 1}", error.Message, StringComparison.Ordinal);
    }

    private static byte[] CheckpointAfterOneEpoch(RunSpec spec)
    {
        using var session = TrainingSession.Create(spec, Data);
        session.RunEpoch();
        using var buffer = new MemoryStream();
        session.SaveCheckpoint(buffer);
        return buffer.ToArray();
    }
}
