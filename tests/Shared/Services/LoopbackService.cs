using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LearnedActivation.Tests.Services;

/// <summary>
/// A server process for tests (Redis, Azurite) on a loopback port of its own, with a data folder of its
/// own: started and stopped by the test, never shared with anything else on the machine. It can be
/// stopped and started again on the same port and folder (an outage the test controls). Disposing kills
/// it and removes its folder; a test never leaves a server running.
/// </summary>
public abstract class LoopbackService : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly StringBuilder _output = new();
    private Process? _process;

    /// <param name="name">For messages and the data folder's name.</param>
    /// <param name="port">The port; null for a free one.</param>
    protected LoopbackService(string name, int? port)
    {
        Name = name;
        DataFolder = Path.Combine(Path.GetTempPath(), $"la-{name}-{Guid.NewGuid():N}"[..24]);
        Directory.CreateDirectory(DataFolder);
        Port = port ?? FreePort();
    }

    public string Name { get; }

    public int Port { get; }

    public string DataFolder { get; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts the server and returns once it accepts connections on <see cref="Port"/>.</summary>
    public async Task StartAsync()
    {
        if (IsRunning)
        {
            return;
        }

        var (file, args) = Command();
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = DataFolder,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var clock = Stopwatch.StartNew();
        while (!await AcceptsConnectionsAsync(Port))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{Name} ({file}) exited with code {process.ExitCode} before listening on 127.0.0.1:{Port}; output:\n{Output}");
            }

            if (clock.Elapsed > StartTimeout)
            {
                await StopAsync();
                throw new TimeoutException($"{Name} did not listen on 127.0.0.1:{Port} within {StartTimeout.TotalSeconds:0} s; output:\n{Output}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>
    /// Stops the server: SIGTERM, so that it saves what it holds (as a server that is shut down or loses its
    /// network would keep its data), then SIGKILL if it is still there after a few seconds. Its data
    /// folder stays for a restart.
    /// </summary>
    public async Task StopAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        if (!process.HasExited)
        {
            using (var term = Process.Start(new ProcessStartInfo("/bin/kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false }))
            {
                await term!.WaitForExitAsync();
            }

            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                KillTree(process);
            }
        }

        await process.WaitForExitAsync();
        process.Dispose();
        _process = null;
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(DataFolder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder does not fail a test.
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>The executable and its arguments.</summary>
    protected abstract (string File, IReadOnlyList<string> Args) Command();

    /// <summary>
    /// The first of <paramref name="candidates"/> that exists (a bare name is looked up on PATH), or a
    /// failure that says how to install the tool: these tests need the real server, not a stand-in.
    /// </summary>
    protected static string Locate(string? fromVariable, IEnumerable<string> candidates, string install)
    {
        if (!string.IsNullOrEmpty(fromVariable))
        {
            return File.Exists(fromVariable) ? fromVariable : throw new InvalidOperationException($"{fromVariable} does not exist; {install}");
        }

        var path = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (var candidate in candidates)
        {
            var found = Path.IsPathRooted(candidate)
                ? (File.Exists(candidate) ? candidate : null)
                : path.Select(dir => Path.Combine(dir, candidate)).FirstOrDefault(File.Exists);
            if (found is not null)
            {
                return found;
            }
        }

        throw new InvalidOperationException(install);
    }

    /// <summary>
    /// <paramref name="count"/> distinct free ports: all are held until all are known, so that no two are
    /// the same (Orleans' listeners would share a busy port silently, SO_REUSEPORT, mixing two silos).
    /// </summary>
    public static IReadOnlyList<int> FreePorts(int count)
    {
        var sockets = Enumerable.Range(0, count).Select(_ =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            return socket;
        }).ToList();
        try
        {
            return [.. sockets.Select(s => ((IPEndPoint)s.LocalEndPoint!).Port)];
        }
        finally
        {
            sockets.ForEach(s => s.Dispose());
        }
    }

    public static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private static async Task<bool> AcceptsConnectionsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
