using LearnedActivation.Grains.Contracts;
using LearnedActivation.Model.Configuration;

namespace LearnedActivation.Grains.Tests.Contracts;

/// <summary>The specs in specs/ are what README and docs tell users to run: each must parse and say what the docs say.</summary>
public sealed class CheckedInSpecsTests
{
    public static TheoryData<string> SpecFiles() => [.. Directory.GetFiles(SpecsFolder(), "*.json").Select(Path.GetFileName).OfType<string>()];

    [Theory]
    [MemberData(nameof(SpecFiles))]
    public void EveryCheckedInSpecParses(string file)
    {
        var json = File.ReadAllText(Path.Combine(SpecsFolder(), file));

        var runs = SweepSpecJson.Kind(json, file) == MultitaskSpecJson.Kind
            ? MultitaskSpecJson.Parse(json, file).ToSweep().Runs()
            : SweepSpecJson.Parse(json, file).Runs();

        Assert.NotEmpty(runs);
    }

    [Fact]
    public void TheFullStudyIsAllFourArmsWithFiveSeedsAtTheDefaultBudget()
    {
        var spec = SweepSpecJson.Parse(File.ReadAllText(Path.Combine(SpecsFolder(), "full-study.json")), "full-study.json");

        Assert.Equal(360, spec.Runs().Count);
        Assert.Equal([StudyArm.Learned, StudyArm.Warm, StudyArm.Fixed, StudyArm.FixedWide], spec.Axes.Arms);
        Assert.Equal(TrainingBudget.Study, spec.Budget);
    }

    /// <summary>
    /// Specs behind results measured before the training defaults changed (batch 512, learning rate 1e-3, no
    /// curvature penalty, no warm-up, no divergence guard) pin those settings, so running them still reproduces what docs quote.
    /// </summary>
    [Theory]
    [InlineData("study-3seeds.json")]
    [InlineData("transfer-source3.json")]
    [InlineData("multitask-loo-covertype.json")]
    [InlineData("multitask-loo-MagicTelescope.json")]
    [InlineData("multitask-loo-california.json")]
    [InlineData("multitask-loo-electricity.json")]
    [InlineData("multitask-loo-house_16H.json")]
    public void SpecsBehindEarlierResultsPinTheSettingsTheyWereMeasuredAt(string file)
    {
        var json = File.ReadAllText(Path.Combine(SpecsFolder(), file));
        var budget = SweepSpecJson.Kind(json, file) == MultitaskSpecJson.Kind
            ? MultitaskSpecJson.Parse(json, file).Budget
            : SweepSpecJson.Parse(json, file).Budget;

        Assert.Equal(512, budget.BatchSize);
        Assert.Equal(1e-3, budget.LearningRate);
        Assert.Equal(0, budget.ActivationCurvature);
        Assert.Equal(0, budget.LearningRateWarmup);
        Assert.Equal(0, budget.RollbackAbove);
    }

    private static string SpecsFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LearnedActivation.sln")))
            {
                return Path.Combine(dir.FullName, "specs");
            }
        }

        throw new DirectoryNotFoundException($"no LearnedActivation.sln above {AppContext.BaseDirectory}");
    }
}
