using System.Globalization;

namespace LearnedActivation.Benchmarks;

/// <summary>What the figures were measured on, printed above the tables.</summary>
internal static class MachineDescription
{
    public static void Write(TextWriter output)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC"));
        output.WriteLine($"Machine: {Environment.ProcessorCount} logical cores (nproc), CPU: {CpuModel()}, {Environment.OSVersion}, .NET {Environment.Version}");
        output.WriteLine($"Load average before the run: {LoadAverage()}");
        output.WriteLine("Torch threads: 1. The machine's 2 cores are shared with other work: compare the ratios (measured side by side), not absolute times.");
        output.WriteLine();
    }

    private static string CpuModel()
    {
        const string path = "/proc/cpuinfo";
        if (!File.Exists(path))
        {
            return "unknown";
        }

        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        return line is null ? "unknown" : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }

    private static string LoadAverage()
    {
        const string path = "/proc/loadavg";
        return File.Exists(path) ? string.Join(' ', File.ReadAllText(path).Split(' ').Take(3)) : "unknown";
    }
}
