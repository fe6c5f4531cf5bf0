using LearnedActivation.Client.Cli;
using LearnedActivation.Client.Commands;
using LearnedActivation.Grains.Contracts;
using LearnedActivation.Model.Configuration;

namespace LearnedActivation.Client.Tests.Cli;

/// <summary>
/// <c>learnact transfer --runs</c>: a study of hundreds of runs is transferred a few chosen runs at a time; without
/// it every completed learned or warm run is a source; a name that is not such a run is refused, named, escaped.
/// </summary>
public sealed class TransferRunsOptionSelectsSources
{
    private static readonly SweepSpec Study = SweepSpec.Default("study") with
    {
        Axes = SweepAxes.Study with { Seeds = [0, 1], Arms = [StudyArm.Learned, StudyArm.Warm, StudyArm.Fixed] },
    };

    private static readonly HashSet<string> AllCompleted = [.. Study.Runs().Select(r => r.ConfigName)];

    [Fact]
    public void WithoutRunsEveryCompletedLearnedOrWarmRunIsASource()
    {
        var completed = AllCompleted.Where(n => n != "tanh_small_small_s0").ToHashSet();

        var sources = TransferCommand.SelectSources(Study, completed, names: null);

        Assert.Equal(27 * 2 * 2 - 1, sources.Count);
        Assert.DoesNotContain(sources, s => s.RunName == "tanh_small_small_s0");
        Assert.All(sources, s => Assert.True(s.Arm is StudyArm.Learned or StudyArm.Warm, s.RunName));
    }

    [Fact]
    public void RunsNamesExactlyTheSourcesInTheirOrder()
    {
        var sources = TransferCommand.SelectSources(Study, AllCompleted, ["relu_large_small_s1", "gelu_small_small_warm_s0", "relu_large_small_s1"]);

        Assert.Equal(["relu_large_small_s1", "gelu_small_small_warm_s0"], sources.Select(s => s.RunName));
        Assert.Equal(new ModelConfig(BaseActivation.Relu, SizePreset.Large, SizePreset.Small, StudyArm.Learned), sources[0].Config);
        Assert.Equal(StudyArm.Warm, sources[1].Arm);
    }

    [Theory]
    [InlineData("tanh_small_fixed_s0", "'tanh_small_fixed_s0'")]
    [InlineData("nope\n", "'nope\\n'")]
    public void ANameThatIsNotACompletedLearnedOrWarmRunIsRefused(string name, string quoted)
    {
        var error = Assert.Throws<UsageException>(() => TransferCommand.SelectSources(Study, AllCompleted, [name]));

        Assert.Equal($"--runs: {quoted} is not a completed learned or warm run of sweep 'study'", error.Message);
    }

    [Fact]
    public void ARunThatHasNotCompletedIsRefused()
    {
        var completed = AllCompleted.Where(n => n != "tanh_small_small_s0").ToHashSet();

        Assert.Throws<UsageException>(() => TransferCommand.SelectSources(Study, completed, ["tanh_small_small_s0"]));
    }
}
