using System.Net;
using System.Net.Sockets;
using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Execution;
using LearnedActivation.Grains.Storage;
using LearnedActivation.Grains.Tests.Support;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LearnedActivation.Grains.Tests.Hosting;

/// <summary>The host extension the CLI's embedded mode uses: one local silo, state and blobs under a directory.</summary>
[Collection(ClusterGroup.Name)]
public sealed class EmbeddedSiloTests
{
    [Fact]
    public async Task EmbeddedSiloRunsASweepAndLeavesStateAndArtifactsUnderTheRoot()
    {
        using var root = new TempDirectory();
        var backend = new FakeTrainingBackend();
        using var host = Build(root.Path, backend, slots: "2");
        await host.StartAsync();
        try
        {
            var spec = TestSilos.Spec("embedded", epochs: 2);
            var sweep = host.Services.GetRequiredService<IGrainFactory>().GetGrain<ISweepGrain>(spec.Id);
            await sweep.StartAsync(spec);
            var status = await Poll.UntilAsync(() => sweep.GetStatusAsync(), s => s.Phase == SweepPhase.Finished, "the embedded sweep to finish");

            Assert.Equal(2, status.Totals.Completed);
            Assert.Equal(2, host.Services.GetRequiredService<TrainingWorker>().Slots);
        }
        finally
        {
            await host.StopAsync();
        }

        Assert.True(File.Exists(Path.Combine(root.Path, "embedded", "state", "sweep.json")));
        Assert.True(File.Exists(Path.Combine(root.Path, "embedded", "runs", "tanh_small_small", "state", "run.json")));
        Assert.True(File.Exists(Path.Combine(root.Path, "embedded", "runs", "tanh_small_small", "artifacts", "tab_classification_covertype_tanh_small_small.png")));
        Assert.True(File.Exists(Path.Combine(root.Path, "embedded", "artifacts", "results.md")));
    }

    [Fact]
    public async Task TheReportTakesTheEpochsAtChanceFromTheRunsRecordsWhenTheSummariesLackThem()
    {
        using var root = new TempDirectory();
        using var host = Build(root.Path, new FakeTrainingBackend(), slots: "2");
        await host.StartAsync();
        try
        {
            // The fake backend's summaries have no AUC curve (as summaries written before it was kept); its epoch reports do.
            var plain = TestSilos.Spec("scratch", epochs: 2);
            var spec = plain with { Axes = plain.Axes with { Arms = [StudyArm.Learned, StudyArm.Fixed] } };
            var sweep = host.Services.GetRequiredService<IGrainFactory>().GetGrain<ISweepGrain>(spec.Id);
            await sweep.StartAsync(spec);
            await Poll.UntilAsync(() => sweep.GetStatusAsync(), s => s.Phase == SweepPhase.Finished, "the sweep to finish");
        }
        finally
        {
            await host.StopAsync();
        }

        var report = await File.ReadAllTextAsync(Path.Combine(root.Path, "scratch", "artifacts", "report.md"));
        Assert.Contains("### From scratch against the fixed arm, run by run", report, StringComparison.Ordinal);

        // Both runs of the fake backend score alike (+0.00), and no epoch's AUC (0.75, 0.95) is at chance: 0, not "-".
        Assert.Contains("| tanh | small | small | 1 | +0.00 | +0.00 | +0.00 | 0 of 1 | 0 | 2-2 |", report, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Training:Slots", "0", "Slots")]
    [InlineData("Storage:Root", "", "Root")]
    [InlineData("Silo:GatewayPort", "70000", "GatewayPort")]
    public async Task InvalidOptionsStopTheHostBeforeItRuns(string key, string value, string named)
    {
        using var root = new TempDirectory();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            using var host = Build(root.Path, new FakeTrainingBackend(), slots: "1", (key, value));
            await host.StartAsync();
        });

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    private static IHost Build(string root, ITrainingBackend backend, string slots, params (string Key, string Value)[] overrides)
    {
        var builder = Host.CreateApplicationBuilder();
        var settings = new Dictionary<string, string?>
        {
            ["Silo:SiloPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Silo:GatewayPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Silo:ClusterId"] = "test-" + Guid.NewGuid().ToString("N")[..8],
            ["Storage:Root"] = root,
            ["Training:Slots"] = slots,
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddLearnedActivationSilo(silo => silo.Services.AddSingleton(backend));
        return builder.Build();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
