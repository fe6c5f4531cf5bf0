using LearnedActivation.Client.Embedded;
using LearnedActivation.Grains.Contracts;
using LearnedActivation.Model.Configuration;

namespace LearnedActivation.Client.Tests.Embedded;

/// <summary>
/// The study layout's file names (issue 11.1): the learned arm keeps the original study's
/// <c>tab_classification_covertype_{base}_{outer}_{act}.png</c>, also when the sweep has several seeds.
/// </summary>
public sealed class StudyLayoutNamesTests
{
    [Fact]
    public void TheDefaultStudyKeepsTheOriginalNameForTheLearnedArmsFirstSeed()
    {
        var spec = SweepSpec.Default("study");
        var names = spec.Runs().ToDictionary(r => r.ConfigName, r => ArtifactExport.StudyLayoutNames(r, spec.Axes.Seeds).ToArray());

        Assert.Equal(["tab_classification_covertype_tanh_small_medium_s0.png", "tab_classification_covertype_tanh_small_medium.png"], names["tanh_small_medium_s0"]);
        Assert.Equal(["tab_classification_covertype_tanh_small_medium_s1.png"], names["tanh_small_medium_s1"]);
        Assert.Equal(["tab_classification_covertype_relu_large_fixed_s0.png"], names["relu_large_fixed_s0"]);

        // Every configuration's original name is there exactly once.
        var all = names.Values.SelectMany(n => n).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        foreach (var config in spec.Runs().Where(r => r.Arm == StudyArm.Learned).Select(r => r.Model.Name).Distinct())
        {
            Assert.Contains($"tab_classification_covertype_{config}.png", all);
        }
    }

    [Fact]
    public void OneSeedGivesEveryRunItsOriginalNameOnly()
    {
        var spec = SweepSpec.Default("one") with { Axes = SweepAxes.Study with { Seeds = [3] } };

        Assert.All(spec.Runs(), r => Assert.Equal([r.Model.ActivationPlotFileName], ArtifactExport.StudyLayoutNames(r, spec.Axes.Seeds)));
    }
}
