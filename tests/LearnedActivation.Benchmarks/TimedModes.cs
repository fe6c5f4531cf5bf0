using System.Diagnostics;

namespace LearnedActivation.Benchmarks;

/// <summary>
/// Times several variants of the same work side by side: each repetition runs every variant once, in turn, so
/// that whatever else the machine is doing at the time weighs on all of them alike. Returns the median time
/// of each variant in milliseconds.
/// </summary>
internal static class TimedModes
{
    public static double[] Medians(IReadOnlyList<Action> variants, BenchmarkOptions options)
    {
        var samples = variants.Select(_ => new List<double>()).ToArray();
        for (var repetition = 0; repetition < options.WarmupRepetitions + options.Repetitions; repetition++)
        {
            for (var v = 0; v < variants.Count; v++)
            {
                var start = Now(options.CpuTime);
                for (var s = 0; s < options.StepsPerSample; s++)
                {
                    variants[v]();
                }

                if (repetition >= options.WarmupRepetitions)
                {
                    samples[v].Add((Now(options.CpuTime) - start).TotalMilliseconds / options.StepsPerSample);
                }
            }
        }

        return [.. samples.Select(Benchmarks.Medians.Of)];
    }

    private static TimeSpan Now(bool cpuTime) => cpuTime ? ThreadCpuClock.Now() : Stopwatch.GetElapsedTime(0);
}
