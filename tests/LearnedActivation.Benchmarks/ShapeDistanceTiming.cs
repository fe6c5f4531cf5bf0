using System.Diagnostics;
using LearnedActivation.Model.Analysis;
using LearnedActivation.Model.Analysis.Comparison;

namespace LearnedActivation.Benchmarks;

/// <summary>
/// The coordinator's pairwise shape matrix (<see cref="FunctionDistances.Matrix"/>), which a sweep's assembly computes
/// over every learned function: timed for sweeps of a few sizes on functions shaped like learned ones (tanh-, relu- and
/// gelu-like curves of 401 points with a different scale, shift and wiggle each), on all cores as the assembly runs it.
/// Prints the wall time per matrix (median of the repetitions) and a checksum of the matrix, which must not change
/// between builds that claim to compute the same distances.
/// </summary>
internal static class ShapeDistanceTiming
{
    private static readonly PreActivationStats Stats = new(1000, -4, -2, -1, 0, 1, 2, 4, 0, 1.5);

    public static void Run(TextWriter output, IReadOnlyList<int> counts, int repetitions)
    {
        output.WriteLine($"Pairwise shape distances (FunctionDistances.Matrix), {Environment.ProcessorCount} cores, median of {repetitions}");
        output.WriteLine("| functions | pairs | wall per matrix | per one-way fit | checksum |");
        output.WriteLine("|---:|---:|---:|---:|---|");
        foreach (var count in counts)
        {
            var functions = Functions(count);
            var times = new List<double>();
            double[,] matrix = new double[0, 0];
            for (var r = 0; r < repetitions; r++)
            {
                var clock = Stopwatch.StartNew();
                matrix = FunctionDistances.Matrix(functions);
                times.Add(clock.Elapsed.TotalSeconds);
            }

            var seconds = Medians.Of(times);
            var oneWay = (double)count * (count - 1);
            output.WriteLine($"| {count} | {count * (count - 1) / 2} | {seconds:F3} s | {seconds / oneWay * 1e6:F1} µs | {Checksum(matrix):X16} |");
        }
    }

    /// <summary>Deterministic functions like a sweep's learned ones: a third each near tanh, relu and gelu.</summary>
    private static List<StandardisedFunction> Functions(int count)
    {
        var random = new Random(12345);
        var x = Enumerable.Range(0, 401).Select(i => -6.0 + (0.03 * i)).ToArray();
        var functions = new List<StandardisedFunction>();
        for (var k = 0; k < count; k++)
        {
            var (scale, shift, wiggle) = (0.5 + random.NextDouble(), random.NextDouble() - 0.5, 0.05 * random.NextDouble());
            Func<double, double> shape = (k % 3) switch
            {
                0 => Math.Tanh,
                1 => v => Math.Max(0, v),
                _ => v => 0.5 * v * (1 + Math.Tanh(0.7978845608 * (v + (0.044715 * v * v * v)))),
            };
            var y = x.Select(v => shape((scale * v) + shift) + (wiggle * Math.Sin(3 * v))).ToArray();
            functions.Add(StandardisedFunction.From($"f{k}", x, y, Stats)!);
        }

        return functions;
    }

    private static ulong Checksum(double[,] matrix)
    {
        var hash = 14695981039346656037UL;
        foreach (var value in matrix)
        {
            hash = (hash ^ (ulong)BitConverter.DoubleToInt64Bits(value)) * 1099511628211UL;
        }

        return hash;
    }
}
