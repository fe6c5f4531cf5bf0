using System.Text;
using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Storage;
using LearnedActivation.Grains.Tests.Support;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Reporting;

namespace LearnedActivation.Grains.Tests.Cluster;

/// <summary>
/// A NaN metric (an AUC with one class) is a result, not an error: it is stored in the grain states, the sweep
/// ends, and status and results.csv show NaN. Before, the state's JSON refused NaN, every report failed and was
/// retried, and the sweep never ended.
/// </summary>
[Collection(ClusterGroup.Name)]
public sealed class UndefinedMetricsDoNotStopASweep(ClusterFixture fixture)
{
    [Fact]
    public async Task ASweepWhoseAucIsNaNFinishesAndShowsNaN()
    {
        var spec = TestSilos.Spec("nan-auc", epochs: 2, 1, SizePreset.Small);
        fixture.Backend.ReportUndefinedAuc(spec.Id);
        var sweep = fixture.Grains.GetGrain<ISweepGrain>(spec.Id);

        await sweep.StartAsync(spec);
        var status = await Poll.UntilAsync(() => sweep.GetStatusAsync(), s => s.Phase == SweepPhase.Finished, "the nan-auc sweep to finish");

        Assert.All(status.Runs, run =>
        {
            Assert.Equal(RunPhase.Completed, run.Phase);
            Assert.True(double.IsNaN(run.Test!.Auc), $"{run.ConfigName}: test AUC {run.Test.Auc}");
            Assert.True(double.IsNaN(run.Latest!.ValAuc), $"{run.ConfigName}: val AUC {run.Latest.ValAuc}");
        });

        var run = new RunKey(spec.Id, spec.Runs()[0].ConfigName);
        var state = Encoding.UTF8.GetString((await fixture.Store.GetAsync(StoreLayout.RunState(run)))!);
        Assert.Contains("\"NaN\"", state, StringComparison.Ordinal);

        var csv = Encoding.UTF8.GetString((await fixture.Store.GetAsync(StoreLayout.SweepArtifact(spec.Id, SweepReport.ResultsCsvFile)))!);
        Assert.Contains(",NaN,", csv, StringComparison.Ordinal);
    }
}
