using System.Diagnostics;
using System.Text;

namespace LearnedActivation.Client.Tests.Support;

/// <summary>
/// Runs the built CLI (learnact.dll, copied beside the tests by the project reference) as a separate
/// process with redirected output, as a script or CI job would, and kills it if it outlives a deadline.
/// </summary>
internal static class LearnactProcess
{
    public static string DllPath { get; } = Locate();

    public static async Task<ProcessResult> RunAsync(string workingDirectory, TimeSpan timeout, params string[] args)
    {
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

        // A relative --data must not be found through the developer's environment.
        start.Environment.Remove("LEARNACT_DATA_DIR");

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + start.FileName);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();

        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            Assert.Fail($"learnact {string.Join(' ', args)} did not finish within {timeout.TotalSeconds:0} s and was killed; stdout so far:\n{await stdout}\nstderr so far:\n{await stderr}");
        }

        return new ProcessResult(process.ExitCode, await stdout, await stderr);
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

/// <summary>What a CLI process left: its exit code, stdout and stderr.</summary>
internal sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Non-empty lines of stdout then stderr.</summary>
    public IReadOnlyList<string> Lines { get; } = [.. SplitLines(StandardOutput), .. SplitLines(StandardError)];

    public override string ToString() => $"exit code {ExitCode}\n--- stdout:\n{StandardOutput}\n--- stderr:\n{StandardError}";

    private static IEnumerable<string> SplitLines(string text) =>
        text.Split('\n').Select(l => l.TrimEnd('\r', ' ')).Where(l => l.Length > 0);
}
