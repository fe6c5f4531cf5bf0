using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LearnedActivation.Grains.Tests.Cluster;

/// <summary>
/// A sweep's start does not fail because its watch's reminder could not be stored (a loaded Redis times out): the
/// sweep is queued and watched by its timer, and the watch stores the reminder at a later check.
/// </summary>
[Collection(ClusterGroup.Name)]
public sealed class SweepStartSurvivesASlowReminderTable : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task TheStartSucceedsAndTheWatchStoresItsReminderLater()
    {
        var table = new FlakyReminderTable(failures: 1);
        await using var cluster = TestSilos.Build(1, _root.Path, new FakeTrainingBackend(), acceptsRuns: false, configure: silo => silo.Services.AddSingleton<IReminderTable>(table));
        await cluster.DeployAsync();
        var spec = TestSilos.Spec("slow-reminders");
        var sweep = cluster.Client.GetGrain<ISweepGrain>(spec.Id);

        var started = await sweep.StartAsync(spec);

        Assert.Equal(SweepPhase.Running, started.Phase);
        Assert.Equal(1, table.Refused);
        await Poll.UntilAsync(() => Task.FromResult(table.Names(sweep.GetGrainId())), names => names.Contains("host-check"), "the watch to store its reminder at a later check");
    }
}
