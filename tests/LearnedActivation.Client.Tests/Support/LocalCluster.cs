using System.Diagnostics;
using System.Globalization;
using System.Text;
using LearnedActivation.Client.Cli;
using LearnedActivation.Client.Cluster;
using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Storage;
using LearnedActivation.Tests.Services;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LearnedActivation.Client.Tests.Support;

/// <summary>
/// A real cluster for a test, as deploy/local-cluster.sh starts one: redis-server, Azurite and N
/// learnact-silo processes (the build copied beside the tests), all on free loopback ports, each silo
/// logging to its own file. The test talks to it as the CLI does (an Orleans client through Redis).
/// Disposing kills every process it started.
/// </summary>
internal sealed class LocalCluster : IAsyncDisposable
{
    private readonly TempDirectory _work = new();
    private readonly List<SiloProcess> _silos = [];
    private readonly int _slotsPerSilo;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private GatewayClient? _client;

    private LocalCluster(RedisServer redis, AzuriteServer azurite, int slotsPerSilo, ClusterTls? tls, IReadOnlyDictionary<string, string> settings)
    {
        Redis = redis;
        Azurite = azurite;
        _slotsPerSilo = slotsPerSilo;
        Tls = tls;
        _settings = settings;
    }

    /// <summary>Mutual TLS of the cluster, when it has it: the settings of its silos and of a client it admits.</summary>
    public ClusterTls? Tls { get; }

    public RedisServer Redis { get; }

    public AzuriteServer Azurite { get; }

    public IReadOnlyList<SiloProcess> Silos => _silos;

    public string WorkFolder => _work.Path;

    /// <summary>What points a learnact process at this cluster.</summary>
    public IReadOnlyDictionary<string, string> ClientEnvironment => WithoutCertificate
        .Concat(Tls?.Client ?? new Dictionary<string, string>())
        .ToDictionary();

    /// <summary>What points a learnact process at this cluster, without any TLS settings.</summary>
    public IReadOnlyDictionary<string, string> WithoutCertificate => new Dictionary<string, string>
    {
        ["LEARNACT_CLUSTER"] = Redis.ConnectionString,
        ["LEARNACT_BLOB"] = Azurite.ConnectionString,
    };

    public IGrainFactory Grains => (_client ?? throw new InvalidOperationException("not connected")).Grains;

    public IBlobStore Store => new AzureBlobStore(new BlobStoreOptions { Provider = BlobStoreProvider.AzureBlob, ConnectionString = Azurite.ConnectionString });

    /// <param name="silos">How many silo processes.</param>
    /// <param name="slotsPerSilo">Runs each trains at once.</param>
    /// <param name="tls">Mutual TLS between silos and for clients (and a Redis password); null: none.</param>
    /// <param name="settings">Configuration every silo gets on top of the cluster's (e.g. "Scheduling__ExecutionLease" = "00:00:05"); names without the LEARNACT_ prefix.</param>
    public static async Task<LocalCluster> StartAsync(int silos, int slotsPerSilo, ClusterTls? tls = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        // Every port at once, so that no two processes are handed the same one.
        var ports = LoopbackService.FreePorts((2 * silos) + 2);
        var redis = new RedisServer(ports[^1], tls?.RedisPassword);
        var azurite = new AzuriteServer(ports[^2]);
        var cluster = new LocalCluster(redis, azurite, slotsPerSilo, tls, settings ?? new Dictionary<string, string>());
        try
        {
            await Task.WhenAll(redis.StartAsync(), azurite.StartAsync());
            for (var i = 1; i <= silos; i++)
            {
                cluster._silos.Add(SiloProcess.Start(cluster, i, slotsPerSilo, ports[(2 * i) - 2], ports[(2 * i) - 1]));
            }

            await Task.WhenAll(cluster._silos.Select(s => s.WaitUntilListeningAsync()));
            cluster._client = await ConnectWhenListedAsync(redis.ConnectionString, cluster.ClientEnvironment);
            await cluster.WaitUntilAllJoinedAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// A silo opens its gateway port a moment before it is listed as active in Redis, where clients find gateways:
    /// until then a client finds none. Retried for a minute, as a loaded CI machine may take that long.
    /// </summary>
    private static async Task<GatewayClient> ConnectWhenListedAsync(string redis, IReadOnlyDictionary<string, string> environment)
    {
        // The settings a learnact process would read from these LEARNACT_ variables (the cluster's TLS among them).
        var settings = new ConfigurationBuilder()
            .AddInMemoryCollection(environment
                .Where(e => e.Key.StartsWith("LEARNACT_", StringComparison.Ordinal))
                .Select(e => KeyValuePair.Create(e.Key["LEARNACT_".Length..].Replace("__", ":", StringComparison.Ordinal), (string?)e.Value)))
            .Build();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await ClusterClient.ConnectAsync(redis, settings, CancellationToken.None);
            }
            catch (ClusterUnreachableException) when (clock.Elapsed < TimeSpan.FromMinutes(1))
            {
                await Task.Delay(500);
            }
        }
    }

    /// <summary>
    /// Every silo process killed with SIGKILL at once (a power cut), then the same silos started again on
    /// the same ports, as an operator would; returns when all have joined the cluster again.
    /// </summary>
    public async Task KillAndRestartAllSilosAsync()
    {
        foreach (var silo in _silos)
        {
            silo.Kill();
        }

        for (var i = 0; i < _silos.Count; i++)
        {
            _silos[i] = StartAgain(_silos[i]);
        }

        await Task.WhenAll(_silos.Select(s => s.WaitUntilListeningAsync()));
        await WaitUntilAllJoinedAsync();
    }

    /// <summary>
    /// One silo process killed with SIGKILL, then started again on the same ports as a supervisor (systemd,
    /// Kubernetes) would; returns the new process once it has joined the cluster. The new generation on the same
    /// address is what lets the cluster declare the killed one dead at once rather than after missed probes.
    /// </summary>
    public async Task<SiloProcess> KillAndRestartAsync(SiloProcess silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        var index = _silos.IndexOf(silo);
        if (index < 0)
        {
            throw new ArgumentException($"silo {silo.Index} is not one of this cluster's current processes", nameof(silo));
        }

        silo.Kill();
        var restarted = _silos[index] = StartAgain(silo);
        await restarted.WaitUntilListeningAsync();
        await WaitUntilAllJoinedAsync();
        return restarted;
    }

    private SiloProcess StartAgain(SiloProcess old) => SiloProcess.Start(this, old.Index, _slotsPerSilo, old.SiloPort, old.GatewayPort);

    /// <summary>Returns when every silo is active in the membership table; until then work would all land on the first ones.</summary>
    public async Task WaitUntilAllJoinedAsync()
    {
        var management = Grains.GetGrain<IManagementGrain>(0);
        var clock = Stopwatch.StartNew();
        var live = _silos.Select(s => s.SiloPort).ToHashSet();
        while (true)
        {
            try
            {
                var hosts = await management.GetHosts(onlyActive: true);
                if (live.All(port => hosts.Keys.Any(h => h.Endpoint.Port == port)))
                {
                    return;
                }
            }
            catch (OrleansException) when (clock.Elapsed < TimeSpan.FromSeconds(120))
            {
                // The gateway the client used may have just died; it moves on to another.
            }
            catch (TimeoutException) when (clock.Elapsed < TimeSpan.FromSeconds(120))
            {
            }

            if (clock.Elapsed > TimeSpan.FromSeconds(120))
            {
                throw new Xunit.Sdk.XunitException($"the {_silos.Count} silos did not all join the cluster within 120 s:\n{SiloOutputs()}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Polls the sweep's status (through the cluster) until <paramref name="done"/> holds; fails after <paramref name="timeout"/>.</summary>
    public async Task<SweepStatus> WaitForAsync(string sweepId, Func<SweepStatus, bool> done, string what, TimeSpan timeout)
    {
        var sweep = Grains.GetGrain<ISweepGrain>(sweepId);
        var clock = Stopwatch.StartNew();
        string? lastError = null;
        while (true)
        {
            SweepStatus? status;
            try
            {
                status = await sweep.GetStatusAsync();
            }
            catch (Exception e) when (e is OrleansException or TimeoutException && clock.Elapsed < timeout)
            {
                // The gateway this client used, or the silo that held the sweep grain, may be the one a test
                // killed: until the cluster declares it dead, calls routed there fail or time out. The client moves on.
                lastError = e.Message;
                status = null;
            }

            if (status is null)
            {
                await Task.Delay(500);
                continue;
            }

            if (done(status))
            {
                return status;
            }

            if (clock.Elapsed > timeout)
            {
                throw new Xunit.Sdk.XunitException($"waited {timeout.TotalSeconds:0} s for {what}, in vain; last status: {Describe(status)}; last error: {lastError ?? "none"}\n{SiloOutputs()}");
            }

            await Task.Delay(200);
        }
    }

    public static string Describe(SweepStatus status) =>
        $"{status.Phase}: " + string.Join(", ", status.Runs.Select(r => $"{r.ConfigName} {r.Phase} {r.Epoch}/{r.TotalEpochs} on {r.HostSilo} (attempt {r.Attempts})"));

    public string SiloOutputs() => string.Join('\n', _silos.Select(s => $"--- silo {s.Index} (exited: {s.HasExited}):\n{s.OutputTail()}"));

    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            try
            {
                await _client.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (TimeoutException)
            {
                // The cluster is going away anyway.
            }
        }

        foreach (var silo in _silos)
        {
            silo.Kill();
        }

        await Redis.DisposeAsync();
        await Azurite.DisposeAsync();
        _work.Dispose();
    }

    /// <summary>One learnact-silo process.</summary>
    internal sealed class SiloProcess
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();

        private SiloProcess(Process process, int index, int siloPort, int gatewayPort, string logFile)
        {
            _process = process;
            Index = index;
            SiloPort = siloPort;
            GatewayPort = gatewayPort;
            LogFile = logFile;
            process.OutputDataReceived += (_, e) => Append(e.Data);
            process.ErrorDataReceived += (_, e) => Append(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public int Index { get; }

        public int SiloPort { get; }

        public int GatewayPort { get; }

        /// <summary>The silo's compact-JSON log (read with <see cref="SweepLog"/>).</summary>
        public string LogFile { get; }

        public bool HasExited => _process.HasExited;

        /// <summary>Whether a run status's host silo is this one.</summary>
        public bool Hosts(RunStatus run) => run.HostSilo?.EndsWith(":" + SiloPort.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal) == true;

        public static SiloProcess Start(LocalCluster cluster, int index, int slots, int siloPort, int gatewayPort)
        {
            var folder = Path.Combine(cluster.WorkFolder, $"silo-{index}");
            Directory.CreateDirectory(folder);
            var logFile = Path.Combine(folder, "silo.clef");
            var start = new ProcessStartInfo(DotnetHost())
            {
                WorkingDirectory = folder,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "learnact-silo.dll"));
            var settings = new Dictionary<string, string>
            {
                ["LEARNACT_Silo__Clustering"] = "Redis",
                ["LEARNACT_Silo__RedisConnectionString"] = cluster.Redis.ConnectionString,
                ["LEARNACT_Silo__AdvertisedAddress"] = "127.0.0.1",
                ["LEARNACT_Silo__Name"] = $"silo-{index}",
                ["LEARNACT_Silo__SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture),
                ["LEARNACT_Silo__GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture),
                ["LEARNACT_Silo__LogFile"] = logFile,
                ["LEARNACT_Storage__Provider"] = "AzureBlob",
                ["LEARNACT_Storage__ConnectionString"] = cluster.Azurite.ConnectionString,
                ["LEARNACT_Training__Slots"] = slots.ToString(CultureInfo.InvariantCulture),

                // Cluster silos read data only under their data root; the tests write their data into the work folder.
                ["LEARNACT_Data__Root"] = cluster.WorkFolder,

                // No dashboard: silos started together would race for its default port (the tests do not look at it).
                ["LEARNACT_Dashboard__Port"] = "0",

                // Dead silos are noticed in about 10 s (production defaults take longer); loose enough that a silo busy training is not voted dead.
                ["LEARNACT_Membership__ProbeTimeout"] = "00:00:03",
                ["LEARNACT_Membership__NumMissedProbesLimit"] = "3",
            };
            foreach (var (name, value) in cluster._settings)
            {
                settings["LEARNACT_" + name] = value;
            }

            foreach (var (name, value) in settings.Concat(cluster.Tls?.Silo(index) ?? new Dictionary<string, string>()))
            {
                start.Environment[name] = value;
            }

            var process = Process.Start(start) ?? throw new InvalidOperationException("could not start learnact-silo");
            return new SiloProcess(process, index, siloPort, gatewayPort, logFile);
        }

        public async Task WaitUntilListeningAsync()
        {
            var clock = Stopwatch.StartNew();
            while (!await AcceptsAsync(GatewayPort))
            {
                if (_process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(120))
                {
                    throw new Xunit.Sdk.XunitException($"silo {Index} did not open its gateway {GatewayPort} (exited: {_process.HasExited}):\n{OutputTail()}");
                }

                await Task.Delay(100);
            }
        }

        /// <summary>SIGKILL: a crash; no shutdown code runs.</summary>
        public void Kill()
        {
            try
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
            catch (InvalidOperationException)
            {
                // Already exited.
            }
        }

        /// <summary>SIGSTOP: the process is frozen, sockets open, as a silo cut off by a partition (or a long GC pause) would be.</summary>
        public void Pause() => Signal("STOP");

        /// <summary>SIGCONT: the frozen process runs on from where it stopped, unaware of the time that passed.</summary>
        public void Resume() => Signal("CONT");

        /// <summary>Waits until the process has exited; false when it is still running after <paramref name="timeout"/>.</summary>
        public Task<bool> WaitForExitAsync(TimeSpan timeout) =>
            _process.WaitForExitAsync().WaitAsync(timeout).ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default);

        private void Signal(string signal)
        {
            if (_process.HasExited)
            {
                return;
            }

            using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, _process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })
                ?? throw new InvalidOperationException("could not run kill");
            kill.WaitForExit();
            Assert.True(kill.ExitCode == 0, $"kill -{signal} {_process.Id} failed");
        }

        /// <summary>How many of the silo's output lines so far contain <paramref name="text"/>.</summary>
        public int LinesWith(string text)
        {
            lock (_output)
            {
                return _output.ToString().Split('\n').Count(l => l.Contains(text, StringComparison.Ordinal));
            }
        }

        /// <summary>The silo's own log lines (not Orleans' stack traces), the last few thousand characters.</summary>
        public string OutputTail()
        {
            lock (_output)
            {
                var lines = _output.ToString().Split('\n').Where(l => l.StartsWith('[') && !l.Contains(" Orleans", StringComparison.Ordinal));
                var text = string.Join('\n', lines);
                return text.Length > 6000 ? text[^6000..] : text;
            }
        }

        private static async Task<bool> AcceptsAsync(int port)
        {
            using var client = new System.Net.Sockets.TcpClient();
            try
            {
                await client.ConnectAsync(System.Net.IPAddress.Loopback, port);
                return true;
            }
            catch (System.Net.Sockets.SocketException)
            {
                return false;
            }
        }

        private static string DotnetHost()
        {
            var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            return !string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk) ? fromSdk : "dotnet";
        }

        private void Append(string? line)
        {
            if (line is not null)
            {
                lock (_output)
                {
                    _output.AppendLine(line);
                }
            }
        }
    }
}
