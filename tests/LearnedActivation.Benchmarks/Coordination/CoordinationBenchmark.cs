using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Execution;
using LearnedActivation.Grains.Storage;
using LearnedActivation.Grains.Sweeps;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.IO;
using LearnedActivation.Silo.Hosting;
using LearnedActivation.Tests;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LearnedActivation.Benchmarks.Coordination;

/// <summary>
/// What coordinating a sweep costs, without training: one real silo (the production wiring, file-system
/// store, executor, work puller, sweep and run grains) whose backend only reports epochs and hands over a
/// checkpoint of realistic size. A sweep of 27 configurations x <c>runs / 27</c> seeds runs to its end;
/// printed: wall time and bytes written per report (by kind of blob), the process's peak memory, the
/// latency of the sweep grain's status call while it runs, and of <c>learnact status</c> (table and
/// <c>--json</c>, a new process each time) through this silo's gateway and, once it has stopped, from the store.
/// </summary>
internal static class CoordinationBenchmark
{
    /// <summary>
    /// A large/large checkpoint: about 8,050 parameters (outer [96, 48, 32] on 10 features, activation
    /// [32, 16, 8]), each with its weight and Adam's two moments in float32, plus a little header.
    /// </summary>
    public const int CheckpointBytes = 100_000;

    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);

    /// <param name="keepStore">A folder (new or empty) that keeps the sweep's store afterwards, e.g. to time
    /// <c>learnact status</c> on it again; null: a temporary folder, deleted at the end.</param>
    public static async Task RunAsync(TextWriter output, TextWriter progress, int runs, int epochs, int slots, string? keepStore = null)
    {
        if (runs % 27 != 0)
        {
            throw new ArgumentException($"--runs must be a multiple of 27 (27 configurations x seeds), got {runs}", nameof(runs));
        }

        if (keepStore is not null)
        {
            if (Directory.Exists(keepStore) && Directory.EnumerateFileSystemEntries(keepStore).Any())
            {
                throw new ArgumentException($"--keep-store {keepStore} is not empty", nameof(keepStore));
            }

            var kept = Directory.CreateDirectory(keepStore);
            await RunInAsync(kept.FullName, output, progress, runs, epochs, slots);
            return;
        }

        var root = Directory.CreateTempSubdirectory("learnact-coordination-");
        try
        {
            await RunInAsync(root.FullName, output, progress, runs, epochs, slots);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    private static async Task RunInAsync(string root, TextWriter output, TextWriter progress, int runs, int epochs, int slots)
    {
        var spec = new SweepSpec(
            $"coordination-{runs}",
            new SweepAxes(StudyPresets.Bases, Enum.GetValues<SizePreset>(), Enum.GetValues<SizePreset>(), [.. Enumerable.Range(0, runs / 27).Select(s => (long)s)]),
            new TrainingBudget(epochs, 512, 1e-3, 1),
            DataSpec.OpenMlDefault);
        var store = new CountingBlobStore(new FileSystemBlobStore(root), key => KindOf(spec.Id, key));
        var assembler = new CurveCheckingAssembler();
        var (siloPort, gatewayPort) = FreePorts();
        var clusterId = $"coordination-{Guid.NewGuid():N}"[..24];

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = root });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Root"] = root,
            ["Training:Slots"] = slots.ToString(CultureInfo.InvariantCulture),
            ["Silo:Clustering"] = nameof(ClusteringMode.Localhost),
            ["Silo:ClusterId"] = clusterId,
            ["Silo:SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture),
            ["Silo:GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture),
        });
        builder.Services.AddSingleton<IBlobStore>(store);
        builder.Services.AddSingleton<ITrainingBackend>(new ReportingOnlyBackend(CheckpointBytes));
        builder.Services.AddSingleton<ISweepArtifactAssembler>(assembler);
        builder.AddLearnedActivationLogging(Path.Combine(root, StoreLayout.LogFile), console: false);
        builder.AddLearnedActivationSilo();
        var host = builder.Build();
        await host.StartAsync();

        var sweep = host.Services.GetRequiredService<IGrainFactory>().GetGrain<ISweepGrain>(spec.Id);
        var clock = Stopwatch.StartNew();
        await sweep.StartAsync(spec);
        var statusCalls = new List<double>();
        SweepStatus status;
        while (true)
        {
            var call = Stopwatch.StartNew();
            status = await sweep.GetStatusAsync();
            statusCalls.Add(call.Elapsed.TotalMilliseconds);
            if (status.Phase == SweepPhase.Finished)
            {
                break;
            }

            progress.WriteLine($"{clock.Elapsed.TotalSeconds,6:F0} s: {status.Totals.Completed}/{status.Totals.Runs} runs completed");
            await Task.Delay(TimeSpan.FromSeconds(2));
        }

        var wall = clock.Elapsed.TotalSeconds;
        var assembled = await assembler.Assembled;
        var written = store.WrittenByKind.ToDictionary(k => k.Key, k => k.Value);
        var peak = Process.GetCurrentProcess().PeakWorkingSet64;
        var reports = (double)runs * epochs;

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"## Coordination: {runs} runs x {epochs} epochs, 1 silo x {slots} slots, no training, checkpoints of {CheckpointBytes:N0} bytes"));
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"- completed {status.Totals.Completed}/{runs}; the assembler got {assembled.WithWholeCurve}/{assembled.Runs} runs with all {epochs} epochs of their curve"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"- wall {wall:F1} s (start to finished): **{1000 * wall / reports:F2} ms per report**, {runs / wall:F0} runs claimed and ended per second"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"- written: **{store.BytesWritten / reports:N0} bytes per report** in all ({store.BytesWritten / 1e6:F1} MB, {store.Puts:N0} writes); read {store.BytesRead / 1e6:F1} MB"));
        foreach (var (kind, (bytes, puts)) in written.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  - {kind}: {bytes / reports:N0} bytes per report ({puts:N0} writes, {bytes / (double)puts:N0} bytes each)"));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"- peak working set {peak / 1e6:F0} MB"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"- ISweepGrain.GetStatusAsync while running: median {Medians.Of(statusCalls):F1} ms over {statusCalls.Count} calls"));

        if (CliTiming.FindLearnact() is not { } learnact)
        {
            output.WriteLine("- `learnact status`: not timed (build src/Client in Release first)");
            await host.StopAsync();
            host.Dispose();
            return;
        }

        // What `learnact sweep` leaves in its store while it runs: where its gateway is (see Client/Embedded/GatewayNote).
        var note = Path.Combine(root, StoreLayout.GatewayFile);
        AtomicFile.WriteAllText(note, JsonSerializer.Serialize(new { gatewayPort, clusterId, serviceId = "learnact" }, WebJson));
        TimeCli(output, learnact, "live, through the silo's gateway", ["status", "--store", root, spec.Id]);
        TimeCli(output, learnact, "live, through the silo's gateway", ["status", "--store", root, spec.Id, "--json"]);
        File.Delete(note);
        await host.StopAsync();
        host.Dispose();
        TimeCli(output, learnact, "from the store (no process runs the sweep)", ["status", "--store", root, spec.Id]);
        TimeCli(output, learnact, "from the store (no process runs the sweep)", ["status", "--store", root, spec.Id, "--json"]);
        TimeCli(output, learnact, "for scale: `--help`, no silo, no client", ["--help"]);
        output.WriteLine();
    }

    private static void TimeCli(TextWriter output, string learnact, string how, string[] args)
    {
        var (seconds, printed) = CliTiming.Time(learnact, args, 5);
        var shown = string.Join(' ', args.Select(a => a.StartsWith('/') ? "DIR" : a));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"- `learnact {shown}` {how}: median **{Medians.Of(seconds):F2} s** of 5 (min {seconds.Min():F2}, max {seconds.Max():F2}), {printed:N0} characters printed"));
    }

    private static string KindOf(string sweepId, string key) =>
        key.Contains("/checkpoints/", StringComparison.Ordinal) ? "checkpoints"
        : key == StoreLayout.SweepState(sweepId) ? "sweep state (queue, assignments)"
        : key == StoreLayout.SweepState(sweepId, StoreLayout.SweepRunsStateName) ? "sweep's run statuses"
        : key.Contains("/state/", StringComparison.Ordinal) ? "run and board states"
        : "artifacts and other";

    private static (int Silo, int Gateway) FreePorts()
    {
        using var a = new TcpListener(IPAddress.Loopback, 0);
        using var b = new TcpListener(IPAddress.Loopback, 0);
        a.Start();
        b.Start();
        return (((IPEndPoint)a.LocalEndpoint).Port, ((IPEndPoint)b.LocalEndpoint).Port);
    }
}
