using LearnedActivation.Grains.Contracts;
using LearnedActivation.Model.Configuration;

namespace LearnedActivation.Grains.Tests.Contracts;

public sealed class MultitaskSpecJsonTests
{
    private const string Valid = """
        { "kind": "multitask", "id": "loo-california",
          "tasks": [ { "file": "covertype.csv.gz", "target": "target" }, { "file": "electricity.csv.gz", "target": "class" } ],
          "holdout": { "file": "california.csv.gz", "target": "price_above_median" },
          "bases": ["tanh", "relu"], "outerSizes": ["small"], "activationSizes": ["small", "medium"], "seeds": [0, 1, 2],
          "maxEpochs": 7, "patience": 3, "batchSize": 256, "checkpointEvery": 2 }
        """;

    [Fact]
    public void AValidSpecGivesTasksHoldoutConfigurationsSeedsAndBudget()
    {
        var spec = MultitaskSpecJson.Parse(Valid, "loo.json");

        Assert.Equal("loo-california", spec.Id);
        Assert.Equal([new DataSpec("covertype.csv.gz", "target"), new DataSpec("electricity.csv.gz", "class")], spec.Tasks);
        Assert.Equal(new DataSpec("california.csv.gz", "price_above_median"), spec.Holdout);
        Assert.Equal(["tanh_small_small", "tanh_small_medium", "relu_small_small", "relu_small_medium"], spec.Configs().Select(c => c.Name));
        Assert.Equal([0L, 1L, 2L], spec.Axes.Seeds);
        Assert.Equal((7, 3, 256), (spec.Budget.Epochs, spec.Budget.Patience, spec.Budget.BatchSize));
        Assert.Equal(2, spec.CheckpointEvery);
    }

    [Fact]
    public void TheJointRunDescendsAsASingleTaskRunByDefaultAndTheSpecCanSayOtherwise()
    {
        // Warm-up, divergence guard and activation rate scale: the study's defaults, as in a sweep spec.
        var plain = MultitaskSpecJson.Parse(Valid, "loo.json").Budget;
        Assert.Equal(
            (TrainConfig.DefaultLearningRateWarmup, TrainConfig.DefaultRollbackAbove, TrainConfig.DefaultActivationLearningRateScale),
            (plain.LearningRateWarmup, plain.RollbackAbove, plain.ActivationLearningRateScale));

        var set = MultitaskSpecJson.Parse(Valid.Replace("\"checkpointEvery\": 2", "\"checkpointEvery\": 2, \"learningRateWarmup\": 0.5, \"rollbackAbove\": 0, \"activationLearningRateScale\": 0.25", StringComparison.Ordinal), "loo.json").Budget;
        Assert.Equal((0.5, 0.0, 0.25), (set.LearningRateWarmup, set.RollbackAbove, set.ActivationLearningRateScale));

        var bad = Assert.Throws<SweepSpecException>(() => MultitaskSpecJson.Parse(Valid.Replace("\"checkpointEvery\": 2", "\"checkpointEvery\": 2, \"rollbackAbove\": 0.5", StringComparison.Ordinal), "loo.json"));
        Assert.StartsWith("loo.json: rollbackAbove:", bad.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheKindDecidesTheReader()
    {
        Assert.Equal("multitask", SweepSpecJson.Kind(Valid, "loo.json"));
        Assert.Equal("sweep", SweepSpecJson.Kind("""{ "seeds": [1] }""", "s.json"));
        Assert.Equal("sweep", SweepSpecJson.Kind("""{ "kind": "sweep" }""", "s.json"));

        var asSweep = Assert.Throws<SweepSpecException>(() => SweepSpecJson.Parse(Valid, "loo.json"));
        Assert.StartsWith("loo.json: kind:", asSweep.Message, StringComparison.Ordinal);
        var unknown = Assert.Throws<SweepSpecException>(() => SweepSpecJson.Kind("""{ "kind": "metalearning" }""", "s.json"));
        Assert.Equal("s.json: kind: unknown kind 'metalearning' (expected sweep|multitask)", unknown.Message);
    }

    [Theory]
    [InlineData("""{ "kind": "multitask", "holdout": { "file": "h.csv", "target": "y" } }""", "loo.json: tasks: required")]
    [InlineData("""{ "kind": "multitask", "tasks": [ { "file": "a.csv", "target": "y" } ], "holdout": { "file": "h.csv", "target": "y" } }""", "loo.json: tasks: needs at least two tasks (got 1)")]
    [InlineData("""{ "kind": "multitask", "tasks": [ { "file": "a.csv", "target": "y" }, { "file": "b.csv" } ], "holdout": { "file": "h.csv", "target": "y" } }""", "loo.json: tasks[1].target: required")]
    [InlineData("""{ "kind": "multitask", "tasks": [ { "file": "a.csv", "target": "y" }, { "file": "a.csv", "target": "y" } ], "holdout": { "file": "h.csv", "target": "y" } }""", "loo.json: tasks[1]: duplicate")]
    [InlineData("""{ "kind": "multitask", "tasks": [ { "file": "a.csv", "target": "y" }, { "file": "b.csv", "target": "y" } ] }""", "loo.json: holdout: required")]
    [InlineData("""{ "kind": "multitask", "tasks": [ { "file": "a.csv", "target": "y" }, { "file": "b.csv", "target": "y" } ], "holdout": { "file": "b.csv", "target": "y" } }""", "loo.json: holdout: is also tasks[1]")]
    [InlineData("""{ "kind": "multitask", "tasks": [ { "file": "a.csv", "target": "y" }, { "file": "b.csv", "target": "y", "weight": 2 } ], "holdout": { "file": "h.csv", "target": "y" } }""", "loo.json: tasks[1].weight: unknown field")]
    [InlineData("""{ "kind": "multitask", "arms": ["fixed"], "tasks": [], "holdout": {} }""", "loo.json: arms: unknown field")]
    [InlineData("""{ "kind": "multitask", "tasks": [ { "file": "a.csv", "target": "y" }, { "file": "b.csv", "target": "y" } ], "holdout": { "file": "h.csv", "target": "y" }, "maxEpochs": 0 }""", "loo.json: maxEpochs: must be a positive integer")]
    public void ABadSpecIsOneLineNamingTheField(string json, string expectedStart)
    {
        var error = Assert.Throws<SweepSpecException>(() => MultitaskSpecJson.Parse(json, "loo.json"));

        Assert.StartsWith(expectedStart, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }
}
