using LearnedActivation.Tests;
using System.Diagnostics;
using System.Globalization;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Data;
using LearnedActivation.Model.Training;

namespace LearnedActivation.Benchmarks;

/// <summary>
/// The 27-configuration sweep run back to back in this process on a reduced budget, once per mode, interleaved
/// per configuration: the training time the sweep's default mode saves over exact, without the orchestration.
/// </summary>
internal static class SweepTiming
{
    public static void Run(TextWriter output, TextWriter progress, int epochs, string? dataPath)
    {
        var path = dataPath ?? Path.Combine(SharedData.Root, "covertype/covertype_binary10_from_mlpack_subset_100k.csv.gz");
        var data = new CsvDataSource(path, "target").Load();
        var splits = BenchmarkSplit.Split(data, 0);
        var modes = Enum.GetValues<ActivationEvaluation>();
        var totals = modes.ToDictionary(m => m, _ => 0.0);
        var bySize = new Dictionary<(SizePreset Outer, SizePreset Activation, ActivationEvaluation Mode), double>();
        foreach (var outer in Enum.GetValues<SizePreset>())
        {
            foreach (var activation in Enum.GetValues<SizePreset>())
            {
                foreach (var baseActivation in StudyPresets.Bases)
                {
                    var config = new ModelConfig(baseActivation, outer, activation);
                    foreach (var mode in modes)
                    {
                        var spec = new RunSpec(config, new TrainConfig(Epochs: epochs, Seed: 0, TorchThreads: 1, ActivationEval: mode), data.ContentHash());
                        var clock = Stopwatch.StartNew();
                        using (var session = TrainingSession.Create(spec, splits))
                        {
                            session.RunToCompletion();
                        }

                        var seconds = clock.Elapsed.TotalSeconds;
                        totals[mode] += seconds;
                        bySize[(outer, activation, mode)] = bySize.GetValueOrDefault((outer, activation, mode)) + seconds;
                        progress.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{config.Name} {Names.Of(mode)}: {seconds:F1} s"));
                    }
                }
            }
        }

        output.WriteLine($"## Sweep time: 27 configurations x {epochs} epoch(s), one after another, 1 torch thread ({data.Source}, seed 0)");
        output.WriteLine();
        output.WriteLine("| outer/act (3 bases) | " + string.Join(" | ", modes.Select(m => $"{Names.Of(m)} (s)")) + " | " + string.Join(" | ", modes.Skip(1).Select(m => $"exact / {Names.Of(m)}")) + " |");
        output.WriteLine("|---|" + string.Concat(Enumerable.Repeat("---:|", (2 * modes.Length) - 1)));
        foreach (var outer in Enum.GetValues<SizePreset>())
        {
            foreach (var activation in Enum.GetValues<SizePreset>())
            {
                var times = modes.Select(m => bySize[(outer, activation, m)]).ToArray();
                output.WriteLine($"| {Names.Of(outer)}/{Names.Of(activation)} | " + string.Join(" | ", times.Select(t => t.ToString("F1", CultureInfo.InvariantCulture))) + " | " +
                    string.Join(" | ", times.Skip(1).Select(t => (times[0] / t).ToString("F1", CultureInfo.InvariantCulture) + "x")) + " |");
            }
        }

        var all = modes.Select(m => totals[m]).ToArray();
        output.WriteLine("| **all 27** | " + string.Join(" | ", all.Select(t => $"**{t.ToString("F0", CultureInfo.InvariantCulture)}**")) + " | " +
            string.Join(" | ", all.Skip(1).Select(t => $"**{(all[0] / t).ToString("F1", CultureInfo.InvariantCulture)}x**")) + " |");
        output.WriteLine();
    }
}
