using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LearnedActivation.Grains.Contracts;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.IO;
using LearnedActivation.Tests.Services;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using StackExchange.Redis;

namespace LearnedActivation.Benchmarks.Coordination;

/// <summary>
/// How many runs one sweep grain hands out when many silos ask: a cluster on this machine (its own
/// redis-server for membership, one shared store: a folder, or Azurite) of S silo processes x K slots each,
/// every silo this program in <see cref="NoTrainingSiloProcess"/> mode (learnact-silo's wiring, a backend that
/// trains nothing), driven through an Orleans client as the CLI drives a cluster. A sweep of 27 configurations x
/// <c>runs / 27</c> seeds x E epochs runs to its end on each layout in turn, the layouts interleaved over the
/// repetitions (A B C A B C ...) so that a change in the machine's load hits all of them. Printed per sweep: the
/// time to start it (every run queued), the time from then to its end, runs claimed and ended per second,
/// how long its sweep grain was busy serving them (claims, epoch reports and run ends: calls that hold it, timed in
/// the silo that hosts it; its start is left out, it is the "start" column), that time per run, and the silos' CPU
/// seconds; then medians per layout.
/// </summary>
internal static class ClusterClaimBenchmark
{
    public static async Task RunAsync(TextWriter output, TextWriter progress, int runs, int epochs, int slots, IReadOnlyList<int> silos, int repeat, bool azurite)
    {
        if (runs % 27 != 0)
        {
            throw new ArgumentException($"--runs must be a multiple of 27 (27 configurations x seeds), got {runs}", nameof(runs));
        }

        var store = azurite ? "Azurite (one blob container)" : "one folder (file-system store, shared by the silo processes)";
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"## Claim rate: {runs} runs x {epochs} epochs, silo processes x {slots} slots, no training, checkpoints of {CoordinationBenchmark.CheckpointBytes:N0} bytes, store: {store}"));
        output.WriteLine();
        output.WriteLine("| # | silos x slots | load avg (1 min) at start | start (s) | start to end (s) | runs/s | reports/s | sweep grain busy serving (s) | busy share | grain ms per run | ClaimAsync (calls, mean ms) | ReportEpochAsync (mean ms) | RunEndedAsync (mean ms) | silos' CPU (s) | completed |");
        output.WriteLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|");
        var results = new List<(int Silos, SweepMeasurement Measurement)>();
        var number = 0;
        for (var round = 0; round < repeat; round++)
        {
            foreach (var count in silos)
            {
                number++;
                progress.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] sweep {number}: {count} silos x {slots} slots");
                var measurement = await MeasureAsync(progress, runs, epochs, count, slots, azurite);
                results.Add((count, measurement));
                output.WriteLine(Row(number.ToString(CultureInfo.InvariantCulture), count, slots, measurement, runs, epochs));
                output.Flush();
            }
        }

        output.WriteLine();
        output.WriteLine("Medians per layout:");
        output.WriteLine();
        foreach (var group in results.GroupBy(r => r.Silos))
        {
            var m = group.Select(g => g.Measurement).ToList();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"- {group.Key} x {slots}: {Medians.Of(m.Select(x => runs / x.ClaimSeconds).ToList()):F1} runs/s over {m.Count} sweeps (start to end {Medians.Of(m.Select(x => x.ClaimSeconds).ToList()):F1} s; sweep grain busy {Medians.Of(m.Select(x => x.Grain.BusyServing / x.ClaimSeconds).ToList()):P0} of that time, {Medians.Of(m.Select(x => 1000 * x.Grain.BusyServing / runs).ToList()):F1} ms per run; load average {string.Join(", ", m.Select(x => x.LoadAtStart.ToString("F1", CultureInfo.InvariantCulture)))})"));
        }

        output.WriteLine();
    }

    private static string Row(string number, int silos, int slots, SweepMeasurement m, int runs, int epochs)
    {
        string Mean(string method) => m.Grain.ByMethod.TryGetValue(method, out var load) && load.Calls > 0
            ? (1000 * load.Seconds / load.Calls).ToString("F2", CultureInfo.InvariantCulture)
            : "-";
        var claims = m.Grain.ByMethod.TryGetValue(nameof(ISweepGrain.ClaimAsync), out var c) ? c : new MethodLoad(0, 0);
        return string.Create(CultureInfo.InvariantCulture,
            $"| {number} | {silos} x {slots} | {m.LoadAtStart:F1} | {m.StartSeconds:F1} | {m.ClaimSeconds:F1} | **{runs / m.ClaimSeconds:F1}** | {(double)runs * epochs / m.ClaimSeconds:F0} | {m.Grain.BusyServing:F1} | {m.Grain.BusyServing / m.ClaimSeconds:P0} | {1000 * m.Grain.BusyServing / runs:F1} | {claims.Calls:N0}, {Mean(nameof(ISweepGrain.ClaimAsync))} | {Mean(nameof(ISweepGrain.ReportEpochAsync))} | {Mean(nameof(ISweepGrain.RunEndedAsync))} | {m.SiloCpuSeconds:F0} | {m.Completed}/{runs} |");
    }

    private static async Task<SweepMeasurement> MeasureAsync(TextWriter progress, int runs, int epochs, int silos, int slots, bool useAzurite)
    {
        var spec = new SweepSpec(
            $"claims-{runs}",
            new SweepAxes(StudyPresets.Bases, Enum.GetValues<SizePreset>(), Enum.GetValues<SizePreset>(), [.. Enumerable.Range(0, runs / 27).Select(s => (long)s)]),
            new TrainingBudget(epochs, 512, 1e-3, 1),
            DataSpec.OpenMlDefault);
        var work = Directory.CreateTempSubdirectory("learnact-claims-");
        var ports = LoopbackService.FreePorts((2 * silos) + 2);
        await using var redis = new RedisServer(ports[^1]);
        await using var azurite = useAzurite ? new AzuriteServer(ports[^2]) : null;
        var processes = new List<SiloChild>();
        try
        {
            await redis.StartAsync();
            if (azurite is not null)
            {
                await azurite.StartAsync();
            }

            var clusterId = $"claims-{Guid.NewGuid():N}"[..20];
            for (var i = 1; i <= silos; i++)
            {
                var settings = new Dictionary<string, string>
                {
                    ["LEARNACT_Silo__Clustering"] = "Redis",
                    ["LEARNACT_Silo__RedisConnectionString"] = redis.ConnectionString,
                    ["LEARNACT_Silo__ClusterId"] = clusterId,
                    ["LEARNACT_Silo__AdvertisedAddress"] = "127.0.0.1",
                    ["LEARNACT_Silo__Name"] = $"silo-{i}",
                    ["LEARNACT_Silo__SiloPort"] = ports[(2 * i) - 2].ToString(CultureInfo.InvariantCulture),
                    ["LEARNACT_Silo__GatewayPort"] = ports[(2 * i) - 1].ToString(CultureInfo.InvariantCulture),
                    ["LEARNACT_Silo__LogFile"] = Path.Combine(work.FullName, $"silo-{i}.clef"),
                    ["LEARNACT_Training__Slots"] = slots.ToString(CultureInfo.InvariantCulture),
                    ["LEARNACT_Data__Root"] = work.FullName,
                };
                if (azurite is not null)
                {
                    settings["LEARNACT_Storage__Provider"] = "AzureBlob";
                    settings["LEARNACT_Storage__ConnectionString"] = azurite.ConnectionString;
                }
                else
                {
                    settings["LEARNACT_Storage__Provider"] = "FileSystem";
                    settings["LEARNACT_Storage__Root"] = Path.Combine(work.FullName, "store");
                }

                processes.Add(SiloChild.Start(settings, work.FullName));
            }

            await Task.WhenAll(processes.Select(p => p.WaitUntilReadyAsync()));
            using var client = await ConnectAsync(redis.ConnectionString, clusterId, silos);
            var grains = client.Services.GetRequiredService<IClusterClient>();
            var sweep = grains.GetGrain<ISweepGrain>(spec.Id);
            var load = LoadAverage();
            var clock = Stopwatch.StartNew();
            await sweep.StartAsync(spec);
            var started = clock.Elapsed.TotalSeconds;
            SweepStatus status;
            var lastReport = 0.0;
            while (true)
            {
                status = await sweep.GetStatusAsync();
                if (status.Phase == SweepPhase.Finished)
                {
                    break;
                }

                if (clock.Elapsed.TotalSeconds - lastReport > 10)
                {
                    lastReport = clock.Elapsed.TotalSeconds;
                    progress.WriteLine($"  {lastReport,5:F0} s: {status.Totals.Completed}/{status.Totals.Runs} completed");
                }

                await Task.Delay(200);
            }

            var ended = clock.Elapsed.TotalSeconds;
            var loads = await Task.WhenAll(processes.Select(p => p.LoadAsync()));
            await client.StopAsync();
            return new SweepMeasurement(load, started, ended - started, SweepGrainLoad.Sum(loads.Select(l => l.SweepGrain)), loads.Sum(l => l.CpuSeconds), status.Totals.Completed);
        }
        finally
        {
            await Task.WhenAll(processes.Select(p => p.StopAsync()));
            work.Delete(recursive: true);
        }
    }

    /// <summary>An Orleans client of the cluster, once every silo is active in its membership table.</summary>
    private static async Task<IHost> ConnectAsync(string redis, string clusterId, int silos)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(client => client
            .UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis))
            .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, "learnact")));
        var host = builder.Build();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await host.StartAsync();
                break;
            }
            catch (Exception) when (clock.Elapsed < TimeSpan.FromMinutes(2))
            {
                // A silo opens its gateway a moment before it is listed in Redis; until then a client finds none.
                await Task.Delay(500);
            }
        }

        var management = host.Services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0);
        while ((await management.GetHosts(onlyActive: true)).Count < silos)
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(2))
            {
                throw new TimeoutException($"the {silos} silos did not all join within 2 minutes");
            }

            await Task.Delay(200);
        }

        return host;
    }

    /// <summary>The 1-minute load average (/proc/loadavg); NaN where there is none.</summary>
    public static double LoadAverage()
    {
        try
        {
            return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }

    private sealed record SweepMeasurement(double LoadAtStart, double StartSeconds, double ClaimSeconds, SweepGrainLoad Grain, double SiloCpuSeconds, int Completed);

    /// <summary>One silo process: this program with <see cref="NoTrainingSiloProcess.Argument"/>.</summary>
    private sealed class SiloChild
    {
        private readonly Process _process;
        private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _tail = new();
        private TaskCompletionSource<SiloLoad> _load = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private SiloChild(Process process)
        {
            _process = process;
            process.OutputDataReceived += (_, e) => Received(e.Data);
            process.ErrorDataReceived += (_, e) => Received(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public static SiloChild Start(IReadOnlyDictionary<string, string> settings, string folder)
        {
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = folder,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(typeof(ClusterClaimBenchmark).Assembly.Location);
            start.ArgumentList.Add(NoTrainingSiloProcess.Argument);
            foreach (var (name, value) in settings)
            {
                start.Environment[name] = value;
            }

            return new SiloChild(Process.Start(start) ?? throw new InvalidOperationException("could not start a silo process"));
        }

        public Task WaitUntilReadyAsync() => _ready.Task.WaitAsync(TimeSpan.FromMinutes(2));

        public async Task<SiloLoad> LoadAsync()
        {
            _load = new TaskCompletionSource<SiloLoad>(TaskCreationOptions.RunContinuationsAsynchronously);
            await _process.StandardInput.WriteLineAsync("load");
            await _process.StandardInput.FlushAsync();
            return await _load.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }

        /// <summary>Closes its stdin (it stops its silo and exits); killed when it has not exited within 30 s.</summary>
        public async Task StopAsync()
        {
            try
            {
                _process.StandardInput.Close();
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (Exception e) when (e is TimeoutException or IOException or InvalidOperationException)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.Dispose();
        }

        private void Received(string? line)
        {
            if (line is null)
            {
                _ready.TrySetException(new InvalidOperationException("a silo process exited before it started:\n" + string.Join('\n', _tail)));
                return;
            }

            if (line == NoTrainingSiloProcess.ReadyLine)
            {
                _ready.TrySetResult();
            }
            else if (line.StartsWith(NoTrainingSiloProcess.LoadLine, StringComparison.Ordinal))
            {
                _load.TrySetResult(JsonSerializer.Deserialize<SiloLoad>(line[NoTrainingSiloProcess.LoadLine.Length..])!);
            }
            else
            {
                _tail.Enqueue(line);
                while (_tail.Count > 40)
                {
                    _tail.TryDequeue(out _);
                }
            }
        }
    }
}
