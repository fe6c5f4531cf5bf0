using System.Diagnostics;
using System.Text;

namespace LearnedActivation.Client.Tests.Support;

/// <summary>
/// Runs the built CLI (learnact.dll, copied beside the tests by the project reference) as a separate
/// process with redirected output, as a script or CI job would, and kills it if it outlives a deadline.
/// </summary>
internal static class LearnactProcess
{
    private static readonly IReadOnlyDictionary<string, string> NoEnvironment = new Dictionary<string, string>();

    public static string DllPath { get; } = Locate();

    public static Task<ProcessResult> RunAsync(string workingDirectory, TimeSpan timeout, params string[] args) =>
        RunAsync(workingDirectory, timeout, NoEnvironment, args);

    /// <param name="workingDirectory">The process's current directory.</param>
    /// <param name="timeout">Deadline for the process to exit; past it the process is killed and the test fails.</param>
    /// <param name="environment">Variables set for the process on top of the test's own environment.</param>
    /// <param name="args">Command-line arguments after learnact.dll.</param>
    public static async Task<ProcessResult> RunAsync(string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        await using var process = Start(workingDirectory, environment, args);
        return await process.WaitAsync(timeout);
    }

    /// <summary>Starts the CLI and returns at once, for tests that act on it while it runs (kill it, signal it).</summary>
    public static LearnactChild Start(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(args);
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(DllPath);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // A relative --data must not be found through the developer's environment, nor a store picked from it.
        start.Environment.Remove("LEARNACT_DATA_DIR");
        start.Environment.Remove("LEARNACT_STORE");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + start.FileName);
        return new LearnactChild(process, "learnact " + string.Join(' ', args));
    }

    /// <summary>The dotnet host running these tests (set by the SDK), else the one on PATH.</summary>
    private static string DotnetHost()
    {
        var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return !string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk) ? fromSdk : "dotnet";
    }

    private static string Locate()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "learnact.dll");
        if (!File.Exists(path) || !File.Exists(Path.Combine(AppContext.BaseDirectory, "learnact.runtimeconfig.json")))
        {
            throw new FileNotFoundException($"learnact.dll (and its runtimeconfig) should be copied beside the tests by the ProjectReference to src/Client; not found in {AppContext.BaseDirectory}", path);
        }

        return path;
    }
}

/// <summary>
/// A running learnact process. Its output is collected as it comes, so a test that gives up on it can still
/// show what it said. Disposing kills it if it is still running: a failed test must not leave a training
/// process behind holding the CPU and the silo's ports.
/// </summary>
internal sealed class LearnactChild : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;

    public LearnactChild(Process process, string description)
    {
        _process = process;
        Description = description;
        _process.StandardInput.Close();
        _stdout = _process.StandardOutput.ReadToEndAsync();
        _stderr = _process.StandardError.ReadToEndAsync();
    }

    public string Description { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Waits for the process to exit; past <paramref name="timeout"/> kills it and fails the test with its output.</summary>
    public async Task<ProcessResult> WaitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            var killed = await KillAsync();
            Assert.Fail($"{Description} did not finish within {timeout.TotalSeconds:0} s and was killed; {killed}");
        }

        return await ResultAsync();
    }

    /// <summary>SIGKILL, as a crash or an OOM kill would end it: no shutdown code runs.</summary>
    public async Task<ProcessResult> KillAsync()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }

        await _process.WaitForExitAsync(CancellationToken.None);
        return await ResultAsync();
    }

    /// <summary>Sends a POSIX signal (e.g. TERM, INT) through /bin/kill: .NET can send SIGKILL only.</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("/bin/kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("could not start /bin/kill");
        await kill.WaitForExitAsync();
        Assert.True(kill.ExitCode == 0, $"/bin/kill -{signal} {_process.Id} exited with {kill.ExitCode} (has {Description} already exited?)");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    private async Task<ProcessResult> ResultAsync() => new(_process.ExitCode, await _stdout, await _stderr);
}

/// <summary>What a CLI process left: its exit code, stdout and stderr.</summary>
internal sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Non-empty lines of stdout then stderr.</summary>
    public IReadOnlyList<string> Lines { get; } = [.. SplitLines(StandardOutput), .. SplitLines(StandardError)];

    public override string ToString() => $"exit code {ExitCode}\n--- stdout:\n{StandardOutput}\n--- stderr:\n{StandardError}";

    private static IEnumerable<string> SplitLines(string text) =>
        text.Split('\n').Select(l => l.TrimEnd('\r', ' ')).Where(l => l.Length > 0);
}
