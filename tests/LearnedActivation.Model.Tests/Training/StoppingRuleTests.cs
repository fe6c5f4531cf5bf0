using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Data;
using LearnedActivation.Model.Tests.Support;
using LearnedActivation.Model.Training;

namespace LearnedActivation.Model.Tests.Training;

/// <summary>
/// A run stops when validation loss has not improved for <c>patience</c> epochs (or at the cap), its result is the
/// best epoch's weights, and a run checkpointed anywhere, before or after its stop, resumes to the same end bit for bit.
/// </summary>
public sealed class StoppingRuleTests
{
    private static readonly DataSplits Data = SyntheticTables.Splits();

    // A high learning rate on a small table overfits within a few epochs, so the patience runs out long before the cap.
    private static RunSpec Stopping(int patience = 2, int cap = 60) =>
        SyntheticTables.Spec(epochs: cap, learningRate: 5e-2, patience: patience);

    [Fact]
    public void TheRunStopsPatienceEpochsAfterItsLowestValidationLoss()
    {
        var spec = Stopping(patience: 2);
        using var session = TrainingSession.Create(spec, Data);
        var result = session.RunToCompletion();
        var losses = result.History.Select(m => m.ValLoss).ToList();

        Assert.True(result.StoppedEarly, $"ran all {losses.Count} epochs of the cap");
        Assert.True(losses.Count < spec.Train.Epochs);
        var best = losses.IndexOf(losses.Min()) + 1;
        Assert.Equal(best, result.BestEpoch);
        Assert.Equal(spec.Train.Patience, losses.Count - best);

        // The rule did not fire earlier: before the last epoch, no stretch of `patience` epochs went without a new minimum.
        var lowest = double.PositiveInfinity;
        var since = 0;
        foreach (var loss in losses.SkipLast(1))
        {
            (lowest, since) = loss < lowest ? (loss, 0) : (lowest, since + 1);
            Assert.True(since < spec.Train.Patience);
        }
    }

    [Fact]
    public void TheResultIsTheBestEpochsWeights()
    {
        using var session = TrainingSession.Create(Stopping(), Data);
        var result = session.RunToCompletion();

        using var validation = new SplitTensors(Data.Validation);
        var again = ModelEvaluation.Evaluate(session.Model, validation);
        Assert.Equal(result.History[result.BestEpoch - 1].ValLoss, again.Loss);
        Assert.Equal(result.BestValAccuracy, again.Accuracy);
    }

    [Fact]
    public void WithoutImprovementStoppingTheCapEndsTheRun()
    {
        var spec = SyntheticTables.Spec(epochs: 3, patience: 50);
        using var session = TrainingSession.Create(spec, Data);
        var result = session.RunToCompletion();

        Assert.Equal(3, result.History.Count);
        Assert.False(result.StoppedEarly);
        Assert.Throws<InvalidOperationException>(() => session.RunEpoch());
    }

    [Fact]
    public void ARunCheckpointedAtEveryEpochResumesToTheSameStopBitForBit()
    {
        var spec = Stopping();
        using var straight = TrainingSession.Create(spec, Data);
        var straightResult = straight.RunToCompletion();
        var epochs = straightResult.History.Count;

        // Every epoch boundary, including the one where the run stopped (a complete run restores as complete).
        for (var k = 1; k <= epochs; k++)
        {
            using var resumed = ResumedRun.After(spec, Data, k, first => Assert.Equal(k == epochs, first.IsComplete));
            Assert.Equal(k == epochs, resumed.IsComplete);
            var resumedResult = resumed.RunToCompletion();

            Assert.Equal(SyntheticTables.Reproducible(straight.History), SyntheticTables.Reproducible(resumed.History));
            Assert.Equal(SyntheticTables.ParameterBytes(straight.Model), SyntheticTables.ParameterBytes(resumed.Model));
            Assert.Equal((straightResult.BestEpoch, straightResult.StoppedEarly), (resumedResult.BestEpoch, resumedResult.StoppedEarly));
            Assert.Equal(straightResult.TestAccuracy, resumedResult.TestAccuracy);
            Assert.Equal(straightResult.TrainAccuracy, resumedResult.TrainAccuracy);
        }
    }

    [Fact]
    public void ACheckpointIsBoundToItsPatience()
    {
        var spec = Stopping(patience: 2);
        using var checkpoint = new MemoryStream();
        using (var session = TrainingSession.Create(spec, Data))
        {
            session.RunEpoch();
            session.SaveCheckpoint(checkpoint);
        }

        checkpoint.Position = 0;
        var other = spec with { Train = spec.Train with { Patience = 3 } };
        var error = Assert.Throws<LearnedActivation.Model.Checkpoints.CheckpointException>(() => TrainingSession.Restore(other, Data, checkpoint));
        Assert.Equal(LearnedActivation.Model.Checkpoints.CheckpointFailure.WrongRun, error.Failure);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void APatienceBelowOneIsRefused(int patience)
    {
        var spec = SyntheticTables.Spec(patience: patience);
        var error = Assert.Throws<ArgumentException>(() => TrainingSession.Create(spec, Data));
        Assert.Contains("patience", error.Message, StringComparison.Ordinal);
    }
}
