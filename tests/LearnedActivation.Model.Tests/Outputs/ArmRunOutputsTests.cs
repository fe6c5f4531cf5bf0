using System.Text.Json;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Outputs;
using LearnedActivation.Model.Tests.Support;
using LearnedActivation.Model.Training;

namespace LearnedActivation.Model.Tests.Outputs;

/// <summary>
/// Every arm trains end to end and leaves what it has: the fixed arms no activation weights, graph or analysis
/// (and do not fail for it); every run its parameter counts and train accuracy; the warm arm its fit error.
/// </summary>
public sealed class ArmRunOutputsTests : IDisposable
{
    private static readonly LearnedActivation.Model.Data.DataSplits Data = SyntheticTables.Splits();

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(StudyArm.Fixed)]
    [InlineData(StudyArm.FixedWide)]
    public void AFixedRunWritesItsCurveAndMetricsButNoActivation(StudyArm arm)
    {
        var spec = SyntheticTables.Spec(epochs: 2, arm: arm);
        using var session = TrainingSession.Create(spec, Data);
        var result = session.RunToCompletion();

        Assert.Null(result.Analysis);
        Assert.Empty(result.ActivationX);
        Assert.Null(result.WarmStartFitError);
        Assert.Equal(0, result.Parameters.Activation);
        Assert.Equal(spec.Model.ParametersFor(Data.Train.Width).Outer, result.Parameters.Outer);

        var files = RunOutputWriter.Write(_directory.Path, session, result, RunMetricsDocument.DataInfo.From(Data, "content"));
        Assert.Null(files.Weights);
        Assert.Null(files.ActivationPlot);
        Assert.Equal(
            [RunOutputWriter.LearningCurveFile, RunOutputWriter.MetricsFile],
            Directory.EnumerateFiles(_directory.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        var document = RunMetricsDocument.FromJson(File.ReadAllText(files.Metrics));
        Assert.Equal(arm, document.Arm);
        Assert.Null(document.Analysis);
        Assert.Equal(result.Parameters.Outer, document.OuterParameters);
        Assert.Equal(0, document.ActivationParameters);
        Assert.Equal(spec.Model.OuterHiddenFor(Data.Train.Width), document.OuterHidden);
        Assert.Equal(Names.Of(arm), JsonDocument.Parse(File.ReadAllText(files.Metrics)).RootElement.GetProperty("arm").GetString());

        var summary = RunSummaries.FromResult(spec.Model, spec.Train.Seed, spec.Model.Name, result);
        Assert.Equal(arm, summary.Arm);
        Assert.Null(summary.LearnedActivation);
    }

    [Fact]
    public void TheWarmArmRecordsItsFitErrorAndTheLearnedArmNone()
    {
        using var warm = TrainingSession.Create(SyntheticTables.Spec(epochs: 1, arm: StudyArm.Warm), Data);
        using var learned = TrainingSession.Create(SyntheticTables.Spec(epochs: 1, arm: StudyArm.Learned), Data);
        var warmResult = warm.RunToCompletion();
        var learnedResult = learned.RunToCompletion();

        Assert.NotNull(warmResult.WarmStartFitError);
        Assert.InRange(warmResult.WarmStartFitError!.Value, 0, 1e-2);
        Assert.Null(learnedResult.WarmStartFitError);
        Assert.Equal(StudyArm.Warm, warmResult.Arm);

        var files = RunOutputWriter.Write(_directory.Path, warm, warmResult, RunMetricsDocument.DataInfo.From(Data, "content"));
        var document = RunMetricsDocument.FromJson(File.ReadAllText(files.Metrics));
        Assert.Equal(warmResult.WarmStartFitError, document.WarmStartFitError);
        Assert.True(File.Exists(Path.Combine(_directory.Path, "tab_classification_covertype_tanh_small_small_warm.png")));
    }

    [Fact]
    public void TheTrainAccuracyIsTheBestWeightsOnTheTrainSplit()
    {
        using var session = TrainingSession.Create(SyntheticTables.Spec(epochs: 2), Data);
        var result = session.RunToCompletion();

        using var train = new SplitTensors(Data.Train);
        Assert.Equal(ModelEvaluation.Evaluate(session.Model, train).Accuracy, result.TrainAccuracy);
        Assert.Equal(session.Model.Parameters, result.Parameters);
        Assert.True(result.Parameters.Activation > 0);
    }
}
