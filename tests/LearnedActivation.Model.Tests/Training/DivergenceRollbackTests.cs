using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Data;
using LearnedActivation.Model.Tests.Support;
using LearnedActivation.Model.Training;

namespace LearnedActivation.Model.Tests.Training;

/// <summary>
/// The divergence guard (<see cref="TrainConfig.RollbackAbove"/>): an epoch whose validation loss rises above the
/// threshold times the best sends training back to the best weights at half the rate, at most
/// <see cref="TrainConfig.MaxRollbacks"/> times; the patience counts from the last rollback; resume stays exact.
/// </summary>
public sealed class DivergenceRollbackTests
{
    private static readonly DataSplits Data = SyntheticTables.Splits();

    // The stopping rule's overfitting run (lr 5e-2 on a small table): its validation loss rises after a few epochs, so a
    // threshold just above 1 fires on every epoch worse than the best.
    private static RunSpec Guarded(double rollbackAbove = 1.0001, int patience = 2)
    {
        var spec = SyntheticTables.Spec(epochs: 60, learningRate: 5e-2, patience: patience);
        return spec with { Train = spec.Train with { RollbackAbove = rollbackAbove } };
    }

    [Fact]
    public void AnEpochAboveTheThresholdGoesBackToTheBestWeights()
    {
        using var session = TrainingSession.Create(Guarded(), Data);
        using var validation = new SplitTensors(Data.Validation);
        // The weights the next epoch starts from are the best epoch's again.
        var rollbacks = RollbackWatch.Train(() => session.IsComplete, () => session.RunEpoch(),
            best => Assert.Equal(best, ModelEvaluation.Evaluate(session.Model, validation).Loss));

        var result = session.Complete();
        Assert.Equal(TrainConfig.MaxRollbacks, rollbacks.Count);
        Assert.Equal(rollbacks, result.Rollbacks);

        // The patience counts from the last rollback when that is later than the best epoch.
        Assert.Equal(result.History.Count, Math.Max(result.BestEpoch, rollbacks[^1]) + 2);
    }

    [Fact]
    public void OffOrBelowTheThresholdNothingRollsBack()
    {
        using var off = TrainingSession.Create(Guarded(rollbackAbove: 0), Data);
        Assert.Empty(off.RunToCompletion().Rollbacks);
        using var high = TrainingSession.Create(Guarded(rollbackAbove: 100), Data);
        var result = high.RunToCompletion();
        Assert.Empty(result.Rollbacks);

        // A guard that never fires trains exactly as no guard.
        using var plain = TrainingSession.Create(Guarded(rollbackAbove: 0), Data);
        plain.RunToCompletion();
        Assert.Equal(SyntheticTables.ParameterBytes(plain.Model), SyntheticTables.ParameterBytes(high.Model));
        Assert.NotEqual(Guarded(0).Hash(), Guarded(100).Hash());
        Assert.Throws<ArgumentException>(() => Guarded(0.5).Train.Validate());
    }

    [Fact]
    public void ARunWithRollbacksResumesBitForBitFromEveryEpoch()
    {
        var spec = Guarded();
        using var straight = TrainingSession.Create(spec, Data);
        var straightResult = straight.RunToCompletion();
        Assert.NotEmpty(straightResult.Rollbacks);

        for (var k = 1; k <= straightResult.History.Count; k++)
        {
            using var resumed = ResumedRun.After(spec, Data, k);
            var resumedResult = resumed.RunToCompletion();

            Assert.Equal(SyntheticTables.Reproducible(straight.History), SyntheticTables.Reproducible(resumed.History));
            Assert.Equal(SyntheticTables.ParameterBytes(straight.Model), SyntheticTables.ParameterBytes(resumed.Model));
            Assert.Equal(straightResult.Rollbacks, resumedResult.Rollbacks);
            Assert.Equal(straightResult.TestAccuracy, resumedResult.TestAccuracy);
        }
    }

    [Fact]
    public void ARollbackRestartsTheWarmUpAndThePatienceAndHalvesTheRate()
    {
        var state = new TrainingState { CompletedEpochs = 7, BestEpoch = 3 };
        Assert.Equal((7, 4, 1.0), (state.EpochsSinceRestart, state.EpochsSinceBest, state.RollbackFactor));

        state.Rollbacks.Add(5);
        Assert.Equal((2, 2, 0.5), (state.EpochsSinceRestart, state.EpochsSinceBest, state.RollbackFactor));

        // The warm-up's step count starts again at the rollback: the first step after it is the first of a warm-up.
        Assert.Equal(0.1, TrainingSession.WarmupFactor(1, (state.EpochsSinceRestart - 2) * 10L, 10), 12);

        // An improvement after the rollback counts from there.
        state.BestEpoch = 6;
        Assert.Equal(1, state.EpochsSinceBest);
    }
}
