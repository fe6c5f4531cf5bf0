using LearnedActivation.Client.Cli;
using LearnedActivation.Client.Tests.Support;
using LearnedActivation.Grains.Contracts;

namespace LearnedActivation.Client.Tests;

/// <summary>
/// Data stay where they belong: a spec submitted to a cluster names its data relative to the silos' data root;
/// anything that resolves outside it (<c>..</c>, an absolute path elsewhere, <c>/proc/self/environ</c>, a symbolic
/// link out) ends its run Failed with one line, and nothing of the file reaches status.
/// </summary>
[Collection(SweepProcessGroup.Name)]
public sealed class ClusterSilosReadOnlyUnderTheirDataRoot(OneSiloCluster fixture) : IClassFixture<OneSiloCluster>, IDisposable
{
    private const string Secret = "outside-secret-4b1d";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    private readonly TempDirectory _outside = new();

    private LocalCluster Cluster => fixture.Cluster;

    public void Dispose() => _outside.Dispose();

    [Fact]
    public async Task ARelativeNameIsReadUnderTheRoot()
    {
        CovertypeSample.Write(Path.Combine(Cluster.WorkFolder, "inside.csv"), 400);

        var ended = await SubmitAsync("inside", "inside.csv");

        Assert.True(ended.Runs.All(r => r.Phase == RunPhase.Completed), LocalCluster.Describe(ended));
    }

    [Fact]
    public async Task NamesThatLeaveTheRootFailTheirRunsWithoutShowingTheFile()
    {
        var secretFile = _outside.Write("secret.csv", $"{Secret},b,target\n1,2,0\n");
        File.CreateSymbolicLink(Path.Combine(Cluster.WorkFolder, "link.csv"), secretFile);
        var escapes = new[] { ("dotdot", Path.GetRelativePath(Cluster.WorkFolder, secretFile)), ("absolute", secretFile), ("environ", "/proc/self/environ"), ("symlink", "link.csv") };

        foreach (var (id, file) in escapes)
        {
            var ended = await SubmitAsync(id, file);

            var run = Assert.Single(ended.Runs);
            Assert.True(run.Phase == RunPhase.Failed, LocalCluster.Describe(ended));
            Assert.Contains("outside the data root", run.Error, StringComparison.Ordinal);
            var status = await LearnactProcess.RunAsync(Cluster.WorkFolder, Timeout, Cluster.ClientEnvironment, "status", id, "--json");
            Assert.DoesNotContain(Secret, status.ToString(), StringComparison.Ordinal);
        }
    }

    private async Task<SweepStatus> SubmitAsync(string id, string dataFile)
    {
        var spec = new SweepSpecFile(id, ["tanh"], ["small"], ["small"], Epochs: 1, new SweepSpecData(dataFile, CovertypeSample.Target));
        var specFile = spec.Write(Path.Combine(_outside.Path, $"{id}.json"));
        var submit = await LearnactProcess.RunAsync(Cluster.WorkFolder, Timeout, Cluster.ClientEnvironment, "sweep", "--spec", specFile, "--detach");
        Assert.True(submit.ExitCode == ExitCodes.Ok, submit + "\n" + Cluster.SiloOutputs());
        return await Cluster.WaitForAsync(id, s => s.Runs.All(r => r.IsTerminal), $"the runs of {id} to end", Timeout);
    }
}
