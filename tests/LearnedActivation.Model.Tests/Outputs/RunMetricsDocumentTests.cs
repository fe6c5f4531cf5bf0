using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Outputs;

namespace LearnedActivation.Model.Tests.Outputs;

/// <summary>metrics.json names its enums as users type them, and still reads the numbers older files hold.</summary>
public sealed class RunMetricsDocumentTests
{
    [Fact]
    public void TheActivationEvaluationIsWrittenByName()
    {
        var json = Document(ActivationEvaluation.Grid).ToJson();

        Assert.Contains("\"activationEval\": \"grid\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"activationEval\": 2", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ActivationEvaluation.Exact)]
    [InlineData(ActivationEvaluation.Fused)]
    [InlineData(ActivationEvaluation.Grid)]
    public void AWrittenDocumentReadsBack(ActivationEvaluation mode)
    {
        var json = Document(mode).ToJson();

        Assert.Contains($"\"activationEval\": \"{Names.Of(mode)}\"", json, StringComparison.Ordinal);
        Assert.Equal(mode, RunMetricsDocument.FromJson(json).Train.ActivationEval);
    }

    [Fact]
    public void AnOlderFileWithTheModeAsANumberStillReads()
    {
        var json = Document(ActivationEvaluation.Grid).ToJson().Replace("\"activationEval\": \"grid\"", "\"activationEval\": 1", StringComparison.Ordinal);

        Assert.Equal(ActivationEvaluation.Fused, RunMetricsDocument.FromJson(json).Train.ActivationEval);
    }

    private static RunMetricsDocument Document(ActivationEvaluation mode) => new(
        "tanh_small_small",
        "tanh",
        "small",
        "small",
        [48, 24],
        [16, 8],
        new TrainConfig(Epochs: 2, ActivationEval: mode),
        "hash",
        new RunMetricsDocument.DataInfo("openml:44121", "content", "target", "mapping", 10, 100, 20, 20),
        1,
        0.8,
        0.5,
        0.79,
        0.85,
        1.5,
        [new RunMetricsDocument.EpochRow(1, 0.6, 0.55, 0.8, 0.85, 0.75)]);
}
