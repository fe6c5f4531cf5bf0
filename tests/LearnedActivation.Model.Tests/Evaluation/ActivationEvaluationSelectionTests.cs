using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Evaluation;
using LearnedActivation.Model.Networks;
using LearnedActivation.Model.Tests.Support;
using LearnedActivation.Model.Training;

namespace LearnedActivation.Model.Tests.Evaluation;

public sealed class ActivationEvaluationSelectionTests
{
    [Theory]
    [InlineData("exact", ActivationEvaluation.Exact)]
    [InlineData("GRID", ActivationEvaluation.Grid)]
    [InlineData(" Fused ", ActivationEvaluation.Fused)]
    public void NamesParseCaseInsensitivelyAndRoundTrip(string text, ActivationEvaluation expected)
    {
        var parsed = Names.ParseActivationEvaluation(text);

        Assert.Equal(expected, parsed);
        Assert.Equal(parsed, Names.ParseActivationEvaluation(Names.Of(parsed)));
    }

    [Fact]
    public void AnUnknownNameIsRejectedWithTheAcceptedOnes()
    {
        var error = Assert.Throws<ArgumentException>(() => Names.ParseActivationEvaluation("fast"));

        Assert.Contains("'fast'", error.Message, StringComparison.Ordinal);
        Assert.Contains(Names.Accepted<ActivationEvaluation>(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryModeMapsToAnEvaluatorOfItsName()
    {
        foreach (var mode in Enum.GetValues<ActivationEvaluation>())
        {
            Assert.Equal(Names.Of(mode), ActivationEvaluators.For(mode).Name);
        }
    }

    [Fact]
    public void TheModeIsPartOfTheRunSpecHash()
    {
        var spec = SyntheticTables.Spec();
        var hashes = Enum.GetValues<ActivationEvaluation>()
            .Select(mode => (spec with { Train = spec.Train with { ActivationEval = mode } }).Hash())
            .ToArray();

        Assert.Equal(hashes.Length, hashes.Distinct().Count());
    }

    [Fact]
    public void AnUndefinedModeFailsValidation()
    {
        var train = new TrainConfig(ActivationEval: (ActivationEvaluation)99);

        var error = Assert.Throws<ArgumentException>(train.Validate);

        Assert.Equal(nameof(TrainConfig.ActivationEval), error.ParamName);
    }

    [Theory]
    [InlineData(ActivationEvaluation.Exact)]
    [InlineData(ActivationEvaluation.Fused)]
    [InlineData(ActivationEvaluation.Grid)]
    public void ATrainingSessionComputesItsActivationTheConfiguredWay(ActivationEvaluation mode)
    {
        var spec = SyntheticTables.Spec(epochs: 1);
        spec = spec with { Train = spec.Train with { ActivationEval = mode } };

        using var session = TrainingSession.Create(spec, SyntheticTables.Splits(train: 300, validation: 100, test: 100));

        Assert.Equal(Names.Of(mode), session.Model.Activation.Evaluator.Name);
    }
}
