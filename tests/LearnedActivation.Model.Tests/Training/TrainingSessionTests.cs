using LearnedActivation.Model.Plots;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Tests.Evaluation;
using LearnedActivation.Model.Tests.Support;
using LearnedActivation.Model.Training;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Tests.Training;

public sealed class TrainingSessionTests
{
    private static readonly LearnedActivation.Model.Data.DataSplits Data = SyntheticTables.Splits();

    [Fact]
    public void LearnsANonLinearRule()
    {
        // x0 * x1 + 0.3 x2 > 0: a linear model stays near 0.6; the learned activation must bend.
        using var session = TrainingSession.Create(SyntheticTables.Spec(epochs: 12), Data);
        var result = session.RunToCompletion();

        Assert.True(result.BestValAccuracy > 0.9, $"validation accuracy {result.BestValAccuracy:F3}");
        Assert.True(result.TestAccuracy > 0.88, $"test accuracy {result.TestAccuracy:F3}");
        Assert.True(result.TestAuc > 0.95, $"test AUC {result.TestAuc:F3}");
        Assert.True(result.History[^1].TrainLoss < result.History[0].TrainLoss / 2, "training loss should fall");
    }

    [Theory]
    [MemberData(nameof(EvaluatorCases.Bases), MemberType = typeof(EvaluatorCases))]
    public void EveryBaseLearnsTheNonLinearRule(BaseActivation baseActivation)
    {
        using var session = TrainingSession.Create(SyntheticTables.Spec(epochs: 12, baseActivation: baseActivation), Data);
        var result = session.RunToCompletion();

        Assert.True(result.BestValAccuracy > 0.9, $"{Names.Of(baseActivation)}: validation accuracy {result.BestValAccuracy:F3}");
        Assert.True(result.History[^1].TrainLoss < result.History[0].TrainLoss / 2, $"{Names.Of(baseActivation)}: training loss should fall");
    }

    [Fact]
    public void SameSpecAndThreadsGiveBitIdenticalWeightsAndHistory()
    {
        var spec = SyntheticTables.Spec(epochs: 3);
        using var first = TrainingSession.Create(spec, Data);
        using var second = TrainingSession.Create(spec, Data);

        first.RunToCompletion();
        second.RunToCompletion();

        Assert.Equal(SyntheticTables.ParameterBytes(first.Model), SyntheticTables.ParameterBytes(second.Model));
        Assert.Equal(SyntheticTables.Reproducible(first.History), SyntheticTables.Reproducible(second.History));
    }

    [Fact]
    public void TheSeedDecidesTheWeights()
    {
        using var first = TrainingSession.Create(SyntheticTables.Spec(seed: 1), Data);
        using var second = TrainingSession.Create(SyntheticTables.Spec(seed: 2), Data);

        Assert.NotEqual(SyntheticTables.ParameterBytes(first.Model), SyntheticTables.ParameterBytes(second.Model));
    }

    [Theory]
    [InlineData(0, 0, 10, 1)]
    [InlineData(1, 0, 10, 0.1)]
    [InlineData(1, 4, 10, 0.5)]
    [InlineData(1, 9, 10, 1)]
    [InlineData(1, 50, 10, 1)]
    [InlineData(2.5, 4, 2, 1)]
    [InlineData(2.5, 1, 2, 0.4)]
    public void LearningRateWarmupRisesLinearlyOverItsSteps(double warmupEpochs, long step, int stepsPerEpoch, double factor)
    {
        Assert.Equal(factor, TrainingSession.WarmupFactor(warmupEpochs, step, stepsPerEpoch), 12);
    }

    [Fact]
    public void LearningRateWarmupChangesTrainingAndEntersTheHashOnlyWhenOn()
    {
        var spec = SyntheticTables.Spec(epochs: 1);
        var warm = spec with { Train = spec.Train with { LearningRateWarmup = 1 } };
        Assert.NotEqual(spec.Hash(), warm.Hash());
        Assert.Equal(spec.Hash(), (spec with { Train = spec.Train with { LearningRateWarmup = 0 } }).Hash());

        using var without = TrainingSession.Create(spec, Data);
        using var with = TrainingSession.Create(warm, Data);
        without.RunEpoch();
        with.RunEpoch();
        Assert.NotEqual(SyntheticTables.ParameterBytes(without.Model), SyntheticTables.ParameterBytes(with.Model));
        Assert.Throws<ArgumentException>(() => (spec.Train with { LearningRateWarmup = -1 }).Validate());
    }

    [Fact]
    public void TheActivationRateScaleActsOnTheLearnedArmOnlyAndEntersOnlyItsHash()
    {
        foreach (var arm in new[] { StudyArm.Learned, StudyArm.Warm, StudyArm.Fixed })
        {
            var spec = SyntheticTables.Spec(epochs: 1, arm: arm);
            var scaled = spec with { Train = spec.Train with { ActivationLearningRateScale = 0.25 } };
            using var plain = TrainingSession.Create(spec, Data);
            using var slower = TrainingSession.Create(scaled, Data);
            plain.RunEpoch();
            slower.RunEpoch();
            var same = SyntheticTables.ParameterBytes(plain.Model).AsSpan().SequenceEqual(SyntheticTables.ParameterBytes(slower.Model));
            Assert.Equal(arm != StudyArm.Learned, same);
            Assert.Equal(arm != StudyArm.Learned, spec.Hash() == scaled.Hash());
        }

        var unit = SyntheticTables.Spec(epochs: 1);
        Assert.Equal(unit.Hash(), (unit with { Train = unit.Train with { ActivationLearningRateScale = 1 } }).Hash());
        Assert.Throws<ArgumentException>(() => (unit.Train with { ActivationLearningRateScale = 0 }).Validate());
    }

    [Fact]
    public void CompleteReportsTheWeightsOfTheLowestValidationLoss()
    {
        using var session = TrainingSession.Create(SyntheticTables.Spec(epochs: 6, learningRate: 0.05), Data);
        var weightsAfter = new List<byte[]>();
        while (!session.IsComplete)
        {
            session.RunEpoch();
            weightsAfter.Add(SyntheticTables.ParameterBytes(session.Model));
        }

        var result = session.Complete();

        // The stopping rule's best epoch: the lowest validation loss, the first on ties.
        var losses = session.History.Select(m => m.ValLoss).ToList();
        var best = losses.IndexOf(losses.Min()) + 1;
        Assert.Equal(best, result.BestEpoch);
        Assert.Equal(session.History[best - 1].ValAccuracy, result.BestValAccuracy);
        Assert.Equal(weightsAfter[best - 1], SyntheticTables.ParameterBytes(session.Model));
        using var testFeatures = tensor(Data.Test.Features, [Data.Test.Rows, Data.Test.Width]);
        var test = ModelEvaluation.Evaluate(session.Model, testFeatures, Data.Test.Labels);
        Assert.Equal(test.Accuracy, result.TestAccuracy);
        Assert.Equal(test.Auc, result.TestAuc);
        Assert.Equal(test.Loss, result.TestLoss);
        Assert.Same(result, session.Complete());
    }

    [Fact]
    public void ResultCarriesTheActivationCurveAndPreActivationSample()
    {
        using var session = TrainingSession.Create(SyntheticTables.Spec(epochs: 1), Data);
        session.RunEpoch();

        var result = session.Complete();

        Assert.Equal(ActivationProbe.DefaultPoints, result.ActivationX.Length);
        Assert.Equal(result.ActivationX.Length, result.ActivationY.Length);
        Assert.Equal(result.ActivationX.Order(), result.ActivationX);
        // The graph spans the range the data uses (robust percentiles, at least [-3, 3]), not the extremes.
        var range = LearnedActivationFigure.XRangeFor(result.PreActivationSample);
        Assert.Equal(range.Min, result.ActivationX[0], 12);
        Assert.Equal(range.Max, result.ActivationX[^1], 12);
        Assert.True(range.Min <= -3 && range.Max >= 3);
        using (var scope = NewDisposeScope())
        {
            var y = session.Model.Activation.forward(tensor(result.ActivationX.Select(x => (float)x).ToArray())).data<float>().ToArray();
            Assert.Equal(y.Select(v => (double)v), result.ActivationY);
        }

        // 500 test rows x (48 + 24) hidden neurons exceed the cap, so whole rows are taken up to 20,000 values.
        Assert.Equal(20_000 / 72 * 72, result.PreActivationSample.Length);
        Assert.Equal("tanh_small_small", result.ConfigName);
        Assert.Equal(session.Spec.Hash(), result.SpecHash);
    }

    [Fact]
    public void ReportsEveryBatchOfTheEpoch()
    {
        using var session = TrainingSession.Create(SyntheticTables.Spec(epochs: 2, batchSize: 300), Data);
        var seen = new List<BatchProgress>();

        session.RunEpoch(new ImmediateProgress<BatchProgress>(seen.Add), CancellationToken.None);

        // 2000 rows in batches of 300: six full batches and one of 200.
        Assert.Equal(7, session.StepsPerEpoch);
        Assert.Equal(Enumerable.Range(1, 7).Select(s => new BatchProgress(1, s, 7)), seen);
    }

    [Fact]
    public void CancellationStopsAtABatchBoundaryAndTheEpochContinuesIdentically()
    {
        var spec = SyntheticTables.Spec(epochs: 2);
        using var straight = TrainingSession.Create(spec, Data);
        straight.RunToCompletion();

        using var interrupted = TrainingSession.Create(spec, Data);
        using var cancel = new CancellationTokenSource();
        var progress = new ImmediateProgress<BatchProgress>(p =>
        {
            if (p.Step == 5)
            {
                cancel.Cancel();
            }
        });

        Assert.Throws<OperationCanceledException>(() => interrupted.RunEpoch(progress, cancel.Token));
        Assert.Equal(0, interrupted.CompletedEpochs);
        Assert.Equal(5, interrupted.StepInEpoch);
        Assert.Empty(interrupted.History);

        interrupted.RunToCompletion();

        Assert.Equal(SyntheticTables.ParameterBytes(straight.Model), SyntheticTables.ParameterBytes(interrupted.Model));
        Assert.Equal(SyntheticTables.Reproducible(straight.History), SyntheticTables.Reproducible(interrupted.History));
    }

    [Fact]
    public void RefusesToCompleteEarlyOrTrainPastTheEnd()
    {
        using var session = TrainingSession.Create(SyntheticTables.Spec(epochs: 1), Data);

        var early = Assert.Throws<InvalidOperationException>(() => session.Complete());
        Assert.Contains("has trained 0 epochs", early.Message, StringComparison.Ordinal);
        session.RunEpoch();
        Assert.True(session.IsComplete);
        Assert.Throws<InvalidOperationException>(() => session.RunEpoch());
    }

    [Fact]
    public void RunToCompletionReportsEachEpochInOrder()
    {
        var seen = new List<EpochMetrics>();

        using var session = TrainingSession.Create(SyntheticTables.Spec(epochs: 3), Data);
        var result = session.RunToCompletion(seen.Add);

        Assert.Equal([1, 2, 3], seen.Select(m => m.Epoch));
        Assert.Equal(seen, result.History);
        Assert.All(seen, m => Assert.InRange(m.ValAuc, 0, 1));
    }

    [Fact]
    public void RejectsAnInvalidSpecOrMismatchedSplits()
    {
        var badSpec = SyntheticTables.Spec() with { Train = new TrainConfig(Epochs: 0) };
        Assert.Throws<ArgumentException>(() => TrainingSession.Create(badSpec, Data));

        var narrow = SyntheticTables.Splits(width: 3);
        var mixed = Data with { Test = narrow.Test };
        var error = Assert.Throws<ArgumentException>(() => TrainingSession.Create(SyntheticTables.Spec(), mixed));
        Assert.Contains("test split has 3 features", error.Message, StringComparison.Ordinal);
    }
}
