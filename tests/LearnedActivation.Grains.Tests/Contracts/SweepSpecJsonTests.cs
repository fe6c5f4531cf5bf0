using LearnedActivation.Grains.Contracts;
using LearnedActivation.Model.Configuration;

namespace LearnedActivation.Grains.Tests.Contracts;

public sealed class SweepSpecJsonTests
{
    [Fact]
    public void EmptyObjectIsTheDefaultStudy()
    {
        var spec = SweepSpecJson.Parse("{}", "sweep.json");

        Assert.True(spec.SameAs(SweepSpec.Default(SweepSpecJson.DefaultId)));
        var runs = spec.Runs();

        // 27 learned configurations and 9 fixed baselines, 3 seeds each.
        Assert.Equal(108, runs.Count);
        Assert.Equal(108, runs.Select(r => r.ConfigName).Distinct().Count());
        Assert.Equal(81, runs.Count(r => r.Model.Arm == StudyArm.Learned));
        Assert.Equal(27, runs.Count(r => r.Model.Arm == StudyArm.Fixed));
        Assert.Contains(runs, r => r.ConfigName == "tanh_small_medium_s2");
        Assert.Contains(runs, r => r.ConfigName == "gelu_large_fixed_s0");
        Assert.Equal(TrainConfig.DefaultEpochs, spec.Budget.Epochs);
        Assert.True(spec.Data.IsOpenMl);
    }

    [Fact]
    public void TheDefaultStudyRunsTanhReluAndGeluOnly()
    {
        // Registering a base (silu) makes it available to specs, not part of the study.
        Assert.Equal([BaseActivation.Tanh, BaseActivation.Relu, BaseActivation.Gelu], SweepSpec.Default(SweepSpecJson.DefaultId).Axes.Bases);
        Assert.Equal([BaseActivation.Tanh, BaseActivation.Relu, BaseActivation.Gelu], SweepAxes.Study.Bases);
    }

    [Fact]
    public void EveryRegisteredBaseCanBeNamedInASpec()
    {
        var spec = SweepSpecJson.Parse("""{"bases": ["silu", "relu"], "outerSizes": ["small"], "activationSizes": ["medium"], "seeds": [0], "arms": ["learned"]}""", "sweep.json");

        Assert.Equal([BaseActivation.Silu, BaseActivation.Relu], spec.Axes.Bases);
        Assert.Equal(["silu_small_medium", "relu_small_medium"], spec.Runs().Select(r => r.ConfigName));
    }

    [Fact]
    public void FieldsOverrideAxesBudgetAndData()
    {
        const string json = """
            {
              // comments are allowed
              "id": "quick",
              "bases": ["gelu", "TANH"],
              "outerSizes": ["large"],
              "activationSizes": ["small", "medium"],
              "seeds": [3, 7],
              "arms": ["learned"],
              "epochs": 2, "batchSize": 128, "learningRate": 0.01, "torchThreads": 2, "activationEval": "fused", "checkpointEvery": 2,
              "data": { "file": "data/cover.csv.gz", "target": "target" }
            }
            """;

        var spec = SweepSpecJson.Parse(json, "sweep.json");

        Assert.Equal("quick", spec.Id);
        Assert.Equal([BaseActivation.Gelu, BaseActivation.Tanh], spec.Axes.Bases);
        Assert.Equal(new TrainingBudget(2, 128, 0.01, 2, ActivationEvaluation.Fused), spec.Budget);
        Assert.Equal(new DataSpec("data/cover.csv.gz", "target"), spec.Data);
        Assert.Equal(2, spec.CheckpointEvery);
        Assert.Equal(
            ["gelu_large_small_s3", "gelu_large_small_s7", "gelu_large_medium_s3", "gelu_large_medium_s7",
             "tanh_large_small_s3", "tanh_large_small_s7", "tanh_large_medium_s3", "tanh_large_medium_s7"],
            spec.Runs().Select(r => r.ConfigName));
        Assert.Equal(new TrainConfig(2, 128, 0.01, 7, 2, ActivationEval: ActivationEvaluation.Fused), RunWorkItem.For(spec, spec.Runs()[1]).Train);
    }

    [Fact]
    public void ActivationCurvatureReachesTheRunsTrainConfigWithTheStudysDefault()
    {
        var spec = SweepSpecJson.Parse("""{"bases": ["tanh"], "outerSizes": ["large"], "activationSizes": ["small"], "activationCurvature": 0.01}""", "sweep.json");
        Assert.Equal(0.01, spec.Budget.ActivationCurvature);
        Assert.Equal(0.01, RunWorkItem.For(spec, spec.Runs()[0]).Train.ActivationCurvature);

        var plain = SweepSpecJson.Parse("""{"bases": ["tanh"]}""", "sweep.json");
        Assert.Equal(TrainConfig.DefaultActivationCurvature, RunWorkItem.For(plain, plain.Runs()[0]).Train.ActivationCurvature);
        Assert.True(TrainConfig.DefaultActivationCurvature > 0, "the learned arm's default is the penalised one (docs/study-results.md)");

        var off = SweepSpecJson.Parse("""{"bases": ["tanh"], "activationCurvature": 0}""", "sweep.json");
        Assert.Equal(0, RunWorkItem.For(off, off.Runs()[0]).Train.ActivationCurvature);
    }

    [Fact]
    public void ActivationLearningRateScaleReachesTheRunsTrainConfig()
    {
        var spec = SweepSpecJson.Parse("""{"bases": ["relu"], "activationLearningRateScale": 0.5}""", "sweep.json");
        Assert.All(spec.Runs(), run => Assert.Equal(0.5, RunWorkItem.For(spec, run).Train.ActivationLearningRateScale));

        var plain = SweepSpecJson.Parse("""{"bases": ["relu"]}""", "sweep.json");
        Assert.Equal(TrainConfig.DefaultActivationLearningRateScale, RunWorkItem.For(plain, plain.Runs()[0]).Train.ActivationLearningRateScale);
    }

    [Fact]
    public void RollbackThresholdReachesTheRunsTrainConfigAndIsOnByDefault()
    {
        var spec = SweepSpecJson.Parse("""{"bases": ["gelu"], "rollbackAbove": 2}""", "sweep.json");
        Assert.All(spec.Runs(), run => Assert.Equal(2, RunWorkItem.For(spec, run).Train.RollbackAbove));

        var plain = SweepSpecJson.Parse("""{"bases": ["gelu"]}""", "sweep.json");
        Assert.Equal(1.5, RunWorkItem.For(plain, plain.Runs()[0]).Train.RollbackAbove);
        var off = SweepSpecJson.Parse("""{"bases": ["gelu"], "rollbackAbove": 0}""", "sweep.json");
        Assert.Equal(0, RunWorkItem.For(off, off.Runs()[0]).Train.RollbackAbove);
    }

    [Fact]
    public void LearningRateWarmupReachesTheRunsTrainConfigAndIsOneEpochByDefault()
    {
        var spec = SweepSpecJson.Parse("""{"bases": ["relu"], "learningRateWarmup": 1.5}""", "sweep.json");
        Assert.Equal(1.5, spec.Budget.LearningRateWarmup);
        Assert.All(spec.Runs(), run => Assert.Equal(1.5, RunWorkItem.For(spec, run).Train.LearningRateWarmup));

        var plain = SweepSpecJson.Parse("""{"bases": ["relu"]}""", "sweep.json");
        Assert.Equal(1, RunWorkItem.For(plain, plain.Runs()[0]).Train.LearningRateWarmup);
    }

    [Theory]
    [InlineData("""{"bases": ["tanh", "swish"]}""", "sweep.json: bases[1]: unknown base 'swish' (expected tanh|relu|gelu|silu)")]
    [InlineData("""{"outerSizes": ["huge"]}""", "sweep.json: outerSizes[0]: unknown size 'huge' (expected small|medium|large)")]
    [InlineData("""{"activationSizes": [1]}""", "sweep.json: activationSizes[0]: unknown size 1 (expected small|medium|large)")]
    [InlineData("""{"bases": []}""", "sweep.json: bases: must not be empty")]
    [InlineData("""{"seeds": []}""", "sweep.json: seeds: must not be empty")]
    [InlineData("""{"bases": "tanh"}""", "sweep.json: bases: must be a list (got 'tanh')")]
    [InlineData("""{"bases": ["tanh", "tanh"]}""", "sweep.json: bases[1]: duplicate 'tanh'")]
    [InlineData("""{"seeds": [-1]}""", "sweep.json: seeds[0]: must be a non-negative integer (got -1)")]
    [InlineData("""{"epochs": 0}""", "sweep.json: epochs: must be a positive integer (got 0)")]
    [InlineData("""{"epochs": 2.5}""", "sweep.json: epochs: must be a positive integer (got 2.5)")]
    [InlineData("""{"batchSize": "512"}""", "sweep.json: batchSize: must be a positive integer (got '512')")]
    [InlineData("""{"learningRate": -0.1}""", "sweep.json: learningRate: must be a positive number (got -0.1)")]
    [InlineData("""{"torchThreads": 0}""", "sweep.json: torchThreads: must be a positive integer (got 0)")]
    [InlineData("""{"checkpointEvery": -2}""", "sweep.json: checkpointEvery: must be a positive integer (got -2)")]
    [InlineData("""{"epoch": 3}""", "sweep.json: epoch: unknown field (expected one of id, bases, outerSizes, activationSizes, seeds, arms, maxEpochs, epochs, patience, batchSize, learningRate, torchThreads, activationEval, activationCurvature, learningRateWarmup, activationLearningRateScale, rollbackAbove, checkpointEvery, data, kind)")]
    [InlineData("""{"arms": ["learned", "random"]}""", "sweep.json: arms[1]: unknown arm 'random' (expected learned|warm|fixed|fixed-wide|frozen|finetuned|random-frozen)")]
    [InlineData("""{"arms": ["fixed_wide"]}""", "sweep.json: arms[0]: unknown arm 'fixed_wide' (expected learned|warm|fixed|fixed-wide|frozen|finetuned|random-frozen)")]
    [InlineData("""{"arms": []}""", "sweep.json: arms: must not be empty")]
    [InlineData("""{"arms": ["fixed", "fixed"]}""", "sweep.json: arms[1]: duplicate 'fixed'")]
    [InlineData("""{"patience": 0}""", "sweep.json: patience: must be a positive integer (got 0)")]
    [InlineData("""{"activationCurvature": -0.01}""", "sweep.json: activationCurvature: must be a non-negative number (got -0.01)")]
    [InlineData("""{"learningRateWarmup": -1}""", "sweep.json: learningRateWarmup: must be a non-negative number (got -1)")]
    [InlineData("""{"activationLearningRateScale": 0}""", "sweep.json: activationLearningRateScale: must be a positive number (got 0)")]
    [InlineData("""{"rollbackAbove": 0.9}""", "sweep.json: rollbackAbove: must be 0 (off) or a multiple of the best validation loss above 1 (got 0.9)")]
    [InlineData("""{"activationCurvature": "0.01"}""", "sweep.json: activationCurvature: must be a non-negative number (got '0.01')")]
    [InlineData("""{"patience": "10"}""", "sweep.json: patience: must be a positive integer (got '10')")]
    [InlineData("""{"maxEpochs": -5}""", "sweep.json: maxEpochs: must be a positive integer (got -5)")]
    [InlineData("""{"maxEpochs": 10, "epochs": 10}""", "sweep.json: epochs: give either \"maxEpochs\" or its older name \"epochs\", not both")]
    [InlineData("""{"activationEval": "fast"}""", "sweep.json: activationEval: unknown activation evaluation 'fast' (expected exact|fused|grid)")]
    [InlineData("""{"data": {"file": "x.csv", "target": "y", "sep": ";"}}""", "sweep.json: data.sep: unknown field (expected one of file, target)")]
    [InlineData("""{"data": {"file": "x.csv"}}""", "sweep.json: data.target: required when data.file is set")]
    [InlineData("""{"data": "x.csv"}""", "sweep.json: data: must be an object with \"file\" and \"target\"")]
    [InlineData("""{"id": "../etc"}""", "sweep.json: id: '../etc' is not a valid sweep id (1-64 of letters, digits, '.', '_', '-'; starting with a letter or digit)")]
    [InlineData("""[1, 2]""", "sweep.json: (root): must be a JSON object")]
    [InlineData("{\n \"epochs\": 2,,\n}", "sweep.json: not valid JSON at line 2")]
    public void InvalidSpecsAreRejectedWithOneLineNamingTheField(string json, string expected)
    {
        var error = Assert.Throws<SweepSpecException>(() => SweepSpecJson.Parse(json, "sweep.json"));

        Assert.Equal(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void ValidatorChecksSpecsMadeInCode()
    {
        var spec = SweepSpec.Default("ok");
        Assert.Null(SweepSpecValidator.FirstError(spec));
        Assert.Equal("bases: must not be empty", SweepSpecValidator.FirstError(spec with { Axes = spec.Axes with { Bases = [] } }));
        Assert.Equal("learningRate: must be positive (got NaN)", SweepSpecValidator.FirstError(spec with { Budget = spec.Budget with { LearningRate = double.NaN } }));
        Assert.Equal("axes: unknown base or size", SweepSpecValidator.FirstError(spec with { Axes = spec.Axes with { OuterSizes = [(SizePreset)9] } }));
        Assert.StartsWith("id: ", SweepSpecValidator.FirstError(spec with { Id = "a/b" }), StringComparison.Ordinal);
    }

    [Fact]
    public void ArmsMultiplyTheRunsAndTheFixedArmsOnceAcrossActivationSizes()
    {
        var spec = SweepSpecJson.Parse(
            """{"bases": ["tanh"], "outerSizes": ["small", "large"], "activationSizes": ["small", "large"], "arms": ["learned", "warm", "fixed", "fixed-wide"], "seeds": [0, 1], "maxEpochs": 30, "patience": 4}""",
            "sweep.json");

        // Per outer size: 2 activation sizes x (learned, warm) + fixed + fixed-wide = 6 configurations, x 2 seeds.
        var runs = spec.Runs();
        Assert.Equal(2 * 6 * 2, runs.Count);
        Assert.Equal(runs.Count, runs.Select(r => r.ConfigName).Distinct().Count());
        Assert.Equal(
            ["tanh_small_small_s0", "tanh_small_small_s1", "tanh_small_large_s0", "tanh_small_large_s1",
             "tanh_small_small_warm_s0", "tanh_small_small_warm_s1", "tanh_small_large_warm_s0", "tanh_small_large_warm_s1",
             "tanh_small_fixed_s0", "tanh_small_fixed_s1", "tanh_small_fixed-wide_s0", "tanh_small_fixed-wide_s1"],
            runs.Take(12).Select(r => r.ConfigName));
        Assert.All(runs, r => Assert.Equal(r.ConfigName, $"{r.Model.Name}_s{r.Seed}"));
        Assert.Equal(StudyArm.FixedWide, runs[11].Model.Arm);
        Assert.Equal((30, 4), (spec.Budget.Epochs, spec.Budget.Patience));
        Assert.Equal(4, RunWorkItem.For(spec, runs[0]).Train.Patience);
        Assert.Equal(spec.Configs(), runs.Select(r => r.Model).Distinct());
        Assert.False(spec.SameAs(spec with { Axes = spec.Axes with { Arms = [StudyArm.Learned] } }));
    }

    [Fact]
    public void TheDefaultStudyPairsEveryLearnedRunWithItsFixedBaseline()
    {
        var spec = SweepSpec.Default("study");
        Assert.Equal([StudyArm.Learned, StudyArm.Fixed], spec.Axes.Arms);
        Assert.Equal([0L, 1L, 2L], spec.Axes.Seeds);
        var runs = spec.Runs();
        var fixedRuns = runs.Where(r => r.Model.Arm == StudyArm.Fixed).Select(r => (r.Base, r.Outer, r.Seed)).ToHashSet();
        Assert.All(runs.Where(r => r.Model.Arm == StudyArm.Learned), r => Assert.Contains((r.Base, r.Outer, r.Seed), fixedRuns));
        Assert.Equal(spec.Budget, SweepSpecJson.Parse("""{"epochs": 500}""", "old.json").Budget);
    }

    [Theory]
    [InlineData("s1/tanh_small_small", true)]
    [InlineData("s1/tanh_small_small_s3", true)]
    [InlineData("s1", false)]
    [InlineData("/tanh", false)]
    [InlineData("s1/../x", false)]
    [InlineData("s1/.hidden", false)]
    [InlineData("s 1/x", false)]
    public void RunKeysAreTwoValidNames(string text, bool valid) => Assert.Equal(valid, RunKey.TryParse(text, out _));
}
