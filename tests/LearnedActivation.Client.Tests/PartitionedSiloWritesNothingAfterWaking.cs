using System.Globalization;
using LearnedActivation.Client.Cli;
using LearnedActivation.Client.Tests.Support;
using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Storage;

namespace LearnedActivation.Client.Tests;

/// <summary>
/// Fenced writers, with real processes: the silo training a run is frozen (SIGSTOP) past the lease, the run
/// moves to the other silo and completes there; then the frozen silo is woken (SIGCONT), its training thread
/// running on as if nothing had happened. Nothing it does afterwards changes the store: no key appears or
/// disappears under the sweep, and no blob's ETag changes (checkpoints, staged or final artifacts, grain state),
/// with the one exception docs/architecture.md ("Fencing", "What remains") names: a checkpoint whose fence
/// question was answered just before the freeze lands when the silo wakes, under the frozen execution's own
/// checkpoint folder, where no reader looks. At most that one new key is allowed, nothing else.
/// </summary>
[Collection(SweepProcessGroup.Name)]
public sealed class PartitionedSiloWritesNothingAfterWaking(ShortLeaseCluster fixture) : IClassFixture<ShortLeaseCluster>
{
    // Enough that the status poll (every 200 ms) finds the run part-way through: small/small runs take well under
    // 0.1 s an epoch here, and at 16 epochs the whole run once ended between two polls.
    private const int Epochs = 40;

    /// <summary>What a silo logs when an execution of its ends without completing (<c>Run ... stopped after epoch N</c>).</summary>
    private const string StaleExecutionStopped = "stopped after epoch";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    private LocalCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task ASiloFrozenPastTheLeaseWritesNothingOnceItWakes()
    {
        var spec = new SweepSpecFile("partition", ["tanh"], ["small"], ["small"], Epochs, new SweepSpecData(fixture.DataFile, CovertypeSample.Target));
        spec.Write(Path.Combine(Cluster.WorkFolder, "partition.json"));
        var submit = await LearnactProcess.RunAsync(Cluster.WorkFolder, Timeout, Cluster.ClientEnvironment, "sweep", "--spec", "partition.json", "--detach");
        Assert.True(submit.ExitCode == ExitCodes.Ok, submit + "\n" + Cluster.SiloOutputs());

        var caught = await Cluster.WaitForAsync(
            spec.Id,
            s => s.Runs.Any(r => r.Phase == RunPhase.Running && r.Epoch is >= 2 and <= Epochs - 8 && r.LastCheckpointKey is not null),
            "the run part-way through, with a checkpoint",
            Timeout);
        var frozen = Cluster.Silos.Single(s => s.Hosts(caught.Runs.Single()));
        var frozenCheckpoints = CheckpointFolderOf(caught.Runs.Single().LastCheckpointKey!);
        frozen.Pause();
        try
        {
            await Cluster.WaitForAsync(
                spec.Id,
                s => s.Runs.Single() is { HostSilo: not null } r && !frozen.Hosts(r),
                "the run to move off the frozen silo",
                Timeout);
            var finished = await Cluster.WaitForAsync(spec.Id, s => s.Phase is SweepPhase.Finished, "the sweep to finish on the other silo", Timeout);
            Assert.Equal(RunPhase.Completed, finished.Runs.Single().Phase);
            var before = await SnapshotAsync(spec.Id);
            Assert.Contains(before.Keys, k => StoreLayout.ArtifactOf(spec.Id, k) is { ConfigName: not null, Name: "activation.safetensors" });

            var stoppedBefore = frozen.LinesWith(StaleExecutionStopped);
            frozen.Resume();

            // The woken silo's old execution runs on until it learns it is stale: it is told so at its next write
            // (and stops), or its silo, declared dead meanwhile by the cluster (when the pause outlasted the
            // membership probes; a short one need not), stops itself. Either ends what it could have written.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
            while (!frozen.HasExited && frozen.LinesWith(StaleExecutionStopped) == stoppedBefore)
            {
                Assert.True(DateTime.UtcNow < deadline, $"the woken silo {frozen.Index}'s execution neither stopped nor did its silo exit within 90 s\n{Cluster.SiloOutputs()}");
                await Task.Delay(TimeSpan.FromMilliseconds(250));
            }

            // A write already under way when it learnt would land now.
            await Task.Delay(TimeSpan.FromSeconds(3));
            var after = await SnapshotAsync(spec.Id);

            var changed = Changed(before, after);
            var inFlightCheckpoint = changed.Where(k => !before.ContainsKey(k) && k.StartsWith(frozenCheckpoints, StringComparison.Ordinal)).ToList();
            Assert.True(
                changed.Count == inFlightCheckpoint.Count && inFlightCheckpoint.Count <= 1,
                $"the woken silo changed the store (beyond at most one checkpoint of its own under {frozenCheckpoints}):\n{Difference(before, after)}\n{Cluster.SiloOutputs()}");
            var status = await Cluster.WaitForAsync(spec.Id, s => true, "the sweep's status", Timeout);
            Assert.Equal(SweepPhase.Finished, status.Phase);
            Assert.Equal(Epochs, status.Runs.Single().Epoch);
        }
        finally
        {
            // Never leave a frozen process behind (SIGKILL on disposal reaches it either way).
            frozen.Resume();
        }
    }

    /// <summary>Every blob under the sweep with its ETag (which changes with every write, even of the same bytes), in key order.</summary>
    private async Task<SortedDictionary<string, string>> SnapshotAsync(string sweepId)
    {
        var store = Cluster.Store;
        var snapshot = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in await store.ListAsync(StoreLayout.SweepPrefix(sweepId)))
        {
            snapshot[key] = (await store.GetVersionedAsync(key))?.ETag ?? "(gone)";
        }

        return snapshot;
    }

    /// <summary>The folder of a checkpoint key: the checkpoints of the one execution that wrote it.</summary>
    private static string CheckpointFolderOf(string checkpointKey) => checkpointKey[..(checkpointKey.LastIndexOf('/') + 1)];

    /// <summary>Keys that appeared, disappeared or were rewritten, in key order.</summary>
    private static List<string> Changed(SortedDictionary<string, string> before, SortedDictionary<string, string> after) =>
        before.Keys.Union(after.Keys).Order(StringComparer.Ordinal)
            .Where(k => !before.TryGetValue(k, out var b) || !after.TryGetValue(k, out var a) || a != b)
            .ToList();

    private static string Difference(SortedDictionary<string, string> before, SortedDictionary<string, string> after) =>
        string.Join('\n', Changed(before, after)
            .Select(k => string.Create(CultureInfo.InvariantCulture, $"{k}: {(before.TryGetValue(k, out var b) ? b : "absent")} -> {(after.TryGetValue(k, out var a) ? a : "absent")}")));
}
