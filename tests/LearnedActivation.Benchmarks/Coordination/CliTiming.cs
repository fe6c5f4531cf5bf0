using System.Diagnostics;

namespace LearnedActivation.Benchmarks.Coordination;

/// <summary>Times the built <c>learnact</c> (Release) as a user runs it: a new process each time.</summary>
internal static class CliTiming
{
    /// <summary>src/Client/bin/Release/net10.0/learnact.dll of the checkout this benchmark was built in; null when not built.</summary>
    public static string? FindLearnact()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LearnedActivation.sln")))
            {
                var dll = Path.Combine(dir.FullName, "src", "Client", "bin", "Release", "net10.0", "learnact.dll");
                return File.Exists(dll) ? dll : null;
            }
        }

        return null;
    }

    /// <summary>Wall time of each of <paramref name="times"/> runs of <c>learnact ARGS</c>, and the bytes the last one printed.</summary>
    public static (List<double> Seconds, int OutputBytes) Time(string learnact, IReadOnlyList<string> args, int times)
    {
        var seconds = new List<double>();
        var printed = 0;
        for (var i = 0; i < times; i++)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(learnact);
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            // Wide enough that the table is not wrapped, as in a terminal of 200 columns.
            start.Environment["COLUMNS"] = "200";
            var clock = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            seconds.Add(clock.Elapsed.TotalSeconds);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"learnact {string.Join(' ', args)} exited {process.ExitCode}: {stderr.Result}");
            }

            printed = output.Length;
        }

        return (seconds, printed);
    }
}
