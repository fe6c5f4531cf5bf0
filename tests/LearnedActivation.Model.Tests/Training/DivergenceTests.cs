using LearnedActivation.Model.Tests.Support;
using LearnedActivation.Model.Training;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Tests.Training;

/// <summary>
/// A run whose loss turns NaN stops at once with one line that names the epoch, instead of training on
/// NaNs to the end and reporting a "best" epoch of broken weights.
/// </summary>
public sealed class DivergenceTests
{
    private static readonly LearnedActivation.Model.Data.DataSplits Data = SyntheticTables.Splits(train: 512, validation: 128, test: 128);

    [Fact]
    public void AWeightThatTurnsNaNStopsTheRunInThatEpoch()
    {
        using var session = TrainingSession.Create(SyntheticTables.Spec(epochs: 3), Data);
        session.RunEpoch();
        PoisonOneWeight(session);

        var error = Assert.Throws<TrainingDivergedException>(() => session.RunEpoch());

        Assert.Equal(2, error.Epoch);
        Assert.Equal("training diverged: the train loss became NaN in epoch 2 (try a lower learning rate)", error.Message);
        Assert.Equal(1, session.CompletedEpochs);
    }

    [Fact]
    public void TheTrainerStopsAtTheFirstEpochThatDiverges()
    {
        using var session = TrainingSession.Create(SyntheticTables.Spec(epochs: 3), Data);
        PoisonOneWeight(session);
        var reported = new List<EpochMetrics>();

        var error = Assert.Throws<TrainingDivergedException>(() => session.RunToCompletion(reported.Add));

        Assert.Equal(1, error.Epoch);
        Assert.Empty(reported);
    }

    [Fact]
    public void ANormalRunTrainsEveryEpochWithFiniteLosses()
    {
        using var session = TrainingSession.Create(SyntheticTables.Spec(epochs: 2), Data);
        var result = session.RunToCompletion();

        Assert.Equal(2, result.History.Count);
        Assert.All(result.History, m => Assert.True(double.IsFinite(m.TrainLoss) && double.IsFinite(m.ValLoss), $"epoch {m.Epoch}: {m}"));
    }

    private static void PoisonOneWeight(TrainingSession session)
    {
        // One entry of the first layer, as an overflowing update would leave it: every logit becomes NaN.
        var weight = session.Model.parameters().First();
        using (no_grad())
        {
            using var row = weight[0];
            row.fill_(float.NaN);
        }
    }
}
