using System.Text.Json;
using LearnedActivation.Client.Cli;
using LearnedActivation.Client.Tests.Support;

namespace LearnedActivation.Client.Tests;

/// <summary>
/// <c>status</c>, <c>cancel</c> and <c>resume</c> answer for the store they are given, not for whichever sweep
/// process listens on the configured gateway port: two stores hold a sweep of the same id, one of them is
/// being trained by a running <c>learnact sweep</c>, and every command aimed at the other store sees (and
/// changes) only the other store's sweep.
/// </summary>
[Collection(SweepProcessGroup.Name)]
public sealed class CommandsAnswerForTheStoreTheyName : IDisposable
{
    private const string SweepId = "same";
    private const int FinishedRows = 4_000;
    private const int RunningRows = 20_000;

    /// <summary>Far more than the test waits for: the running sweep is still training when the test ends (and kills it).</summary>
    private const int RunningEpochs = 100_000;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    private readonly TempDirectory _work = new();
    private readonly IReadOnlyDictionary<string, string> _ports = SiloPorts.FreshEnvironment();

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task StatusCancelAndResumeOnAnotherStoreIgnoreTheRunningSweep()
    {
        // The other store: a finished sweep of tanh.
        var finished = new SweepSpecFile(SweepId, ["tanh"], ["small"], ["small"], Epochs: 2, new SweepSpecData(CovertypeSample.Write(_work.File("small.csv"), FinishedRows), CovertypeSample.Target));
        finished.Write(_work.File("finished.json"));
        var done = await LearnactProcess.RunAsync(_work.Path, Timeout, _ports, "sweep", "--spec", "finished.json", "--store", "other");
        Assert.True(done.ExitCode == ExitCodes.Ok, done.ToString());

        // The default store (./runs): a sweep of relu, same id, training on the same configured ports.
        var running = new SweepSpecFile(SweepId, ["relu"], ["small"], ["small"], RunningEpochs, new SweepSpecData(CovertypeSample.Write(_work.File("large.csv"), RunningRows), CovertypeSample.Target));
        running.Write(_work.File("running.json"));
        var runningStore = new SweepStore(_work.File("runs"), SweepId);
        var runningConfig = Assert.Single(running.ConfigNames);
        await using var process = LearnactProcess.Start(_work.Path, _ports, "sweep", "--spec", "running.json");
        await Eventually.WaitAsync(() => runningStore.LatestCheckpoint(runningConfig) >= 1 ? runningConfig : null, $"{runningConfig} to checkpoint epoch 1", process, Timeout);

        await AssertFinishedAsync("status of the other store");

        // A note left in the other store by a process that is gone, pointing at the running sweep's gateway
        // (as after a kill -9, once another sweep took the port): the silo there must not answer for this store.
        File.WriteAllText(Path.Combine(_work.File("other"), ".gateway"), $$"""{"gatewayPort":{{_ports["LEARNACT_Silo__GatewayPort"]}},"clusterId":"learnact","serviceId":"learnact"}""");
        await AssertFinishedAsync("status of the other store with a stale gateway note in it");

        // The same with the running sweep's dashboard in the note: it answers for another cluster id, so not for this store.
        using (var note = JsonDocument.Parse(File.ReadAllText(Path.Combine(_work.File("runs"), ".gateway"))))
        {
            var dashboard = note.RootElement.GetProperty("dashboardUrl").GetString();
            File.WriteAllText(Path.Combine(_work.File("other"), ".gateway"), $$"""{"gatewayPort":{{_ports["LEARNACT_Silo__GatewayPort"]}},"clusterId":"learnact","serviceId":"learnact","dashboardUrl":"{{dashboard}}"}""");
        }

        await AssertFinishedAsync("status of the other store with a stale note naming the running sweep's dashboard");

        var cancel = await LearnactProcess.RunAsync(_work.Path, Timeout, _ports, "cancel", SweepId, "--store", "other");
        Assert.True(cancel.ExitCode == ExitCodes.Ok, cancel.ToString());
        Assert.Contains("nothing to cancel", cancel.StandardOutput, StringComparison.Ordinal);

        var resume = await LearnactProcess.RunAsync(_work.Path, Timeout, _ports, "resume", SweepId, "--store", "other");
        var line = ErrorOutput.AssertBadInput(resume.ExitCode, resume.Lines, resume.ToString());
        Assert.Contains("no cluster or sweep process is running", line, StringComparison.Ordinal);

        // The running sweep went on untouched, and its own store still reaches it live.
        using var live = await StatusJsonAsync("status of the running sweep's store");
        Assert.True(live.RootElement.GetProperty("live").GetBoolean(), "status of the store a sweep trains on should reach that sweep's silo");
        Assert.Equal("dashboard", live.RootElement.GetProperty("answeredBy").GetString());
        Assert.Equal("running", live.RootElement.GetProperty("phase").GetString());
        var run = Assert.Single(live.RootElement.GetProperty("runs").EnumerateArray());
        Assert.Equal(runningConfig, run.GetProperty("configName").GetString());
        Assert.Equal("running", run.GetProperty("phase").GetString());
        Assert.False(process.HasExited, "the running sweep should still be training");
    }

    private async Task AssertFinishedAsync(string what)
    {
        using var status = await StatusJsonAsync(what, "--store", "other");
        var root = status.RootElement;
        Assert.False(root.GetProperty("live").GetBoolean(), $"{what}: no process trains on the other store, so status must read it, not reach the running sweep");
        Assert.Equal("store", root.GetProperty("answeredBy").GetString());
        Assert.Equal("finished", root.GetProperty("phase").GetString());
        var run = Assert.Single(root.GetProperty("runs").EnumerateArray());
        Assert.Equal("tanh_small_small", run.GetProperty("configName").GetString());
        Assert.Equal("completed", run.GetProperty("phase").GetString());
    }

    private async Task<JsonDocument> StatusJsonAsync(string what, params string[] store)
    {
        var result = await LearnactProcess.RunAsync(_work.Path, Timeout, _ports, ["status", SweepId, "--json", .. store]);
        Assert.True(result.ExitCode == ExitCodes.Ok, $"{what}: {result}");
        try
        {
            return JsonDocument.Parse(result.StandardOutput);
        }
        catch (JsonException e)
        {
            throw new Xunit.Sdk.XunitException($"{what}: stdout of status --json is not JSON ({e.Message}); {result}");
        }
    }
}
