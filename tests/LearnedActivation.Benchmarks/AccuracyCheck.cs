using System.Diagnostics;
using System.Globalization;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Data;
using LearnedActivation.Model.Evaluation;
using LearnedActivation.Model.Networks;
using LearnedActivation.Model.Training;
using LearnedActivation.Tests;
using static TorchSharp.torch;

namespace LearnedActivation.Benchmarks;

/// <summary>
/// Do the faster modes change results? Trains small/small and large/large for each base and several seeds with
/// every mode on real covertype rows, and compares test accuracy and the learned functions with exact's.
/// The same seed gives the same split and the same initial weights in every mode, so differences come from
/// the evaluation alone. As a yardstick, fused differs from exact only by float rounding: whatever that
/// does to a trained function is the noise floor against which grid is judged.
/// Runs train with the study's defaults (<see cref="TrainConfig"/>) unless told otherwise: the check is about the
/// results users get, and a mode's error can matter more at one learning rate or batch size than at another.
/// </summary>
internal static class AccuracyCheck
{
    private const string DefaultDataFile = "covertype/covertype_binary10_from_mlpack_subset_100k.csv.gz";
    private const int CurvePoints = 401;

    /// <summary>The settings of the check before the study's defaults changed (2026-11-28's figures): batch 512,
    /// Adam lr 1e-3, no curvature penalty, no learning-rate warm-up, no divergence guard.</summary>
    public static TrainConfig LegacyTraining { get; } = new(BatchSize: 512, LearningRate: 1e-3, ActivationCurvature: 0, LearningRateWarmup: 0, RollbackAbove: 0);

    /// <param name="training">Everything but epochs, seed, mode and threads, which the check sets itself.</param>
    /// <param name="modeSelection">Exact always runs first: it is the reference.</param>
    public static void Run(TextWriter output, TextWriter progress, int epochs, int seeds, string? dataPath, TrainConfig training, int firstSeed = 0,
        IReadOnlyList<SizePreset>? sizes = null, IReadOnlyList<BaseActivation>? bases = null, IReadOnlyList<ActivationEvaluation>? modeSelection = null)
    {
        var path = dataPath ?? Path.Combine(SharedData.Root, DefaultDataFile);
        var data = new CsvDataSource(path, "target").Load();
        var modes = (ActivationEvaluation[])[ActivationEvaluation.Exact, .. (modeSelection ?? Enum.GetValues<ActivationEvaluation>()).Where(m => m != ActivationEvaluation.Exact).Distinct()];

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"## Accuracy check: {data.Source}, {epochs} epochs (patience {training.Patience}), seeds {firstSeed}..{firstSeed + seeds - 1}, batch {training.BatchSize}, lr {training.LearningRate:G3}, " +
            $"curvature {training.ActivationCurvature:G3}, warm-up {training.LearningRateWarmup:G3} epochs, rollback above {(training.RollbackAbove == 0 ? "off" : training.RollbackAbove.ToString("G3", CultureInfo.InvariantCulture))}, 1 torch thread"));
        output.WriteLine();
        output.WriteLine("Test accuracy of the best-validation epoch (mean over seeds, %), its mean difference from exact's with that mean's standard");
        output.WriteLine("error and the largest per-seed difference");
        output.WriteLine("(percentage points), the learned function's largest deviation from exact's over the range the data uses");
        output.WriteLine("(max |f - f_exact| / (max f_exact - min f_exact), mean over seeds), and training time relative to exact.");
        output.WriteLine();
        output.WriteLine("| config | " + string.Join(" | ", modes.Select(m => $"acc {Names.Of(m)}")) + " | " +
            string.Join(" | ", modes.Skip(1).Select(m => $"{Names.Of(m)}: mean diff (standard error), max diff (pp)")) + " | " +
            string.Join(" | ", modes.Skip(1).Select(m => $"{Names.Of(m)}: function dev.")) + " | " +
            string.Join(" | ", modes.Skip(1).Select(m => $"time exact / {Names.Of(m)}")) + " |");
        output.WriteLine("|---|" + string.Concat(Enumerable.Repeat("---:|", modes.Length + (3 * (modes.Length - 1)))));

        foreach (var size in sizes ?? [SizePreset.Small, SizePreset.Large])
        {
            foreach (var baseActivation in bases ?? StudyPresets.Bases)
            {
                var config = new ModelConfig(baseActivation, size, size);
                var accuracy = modes.ToDictionary(m => m, _ => new List<double>());
                var deviation = modes.ToDictionary(m => m, _ => new List<double>());
                var time = modes.ToDictionary(m => m, _ => 0.0);
                for (var seed = firstSeed; seed < firstSeed + seeds; seed++)
                {
                    var splits = BenchmarkSplit.Split(data, seed);
                    double[]? grid = null;
                    double[]? exactCurve = null;
                    foreach (var mode in modes)
                    {
                        var spec = new RunSpec(config, training with { Epochs = epochs, Seed = seed, TorchThreads = 1, ActivationEval = mode }, data.ContentHash());
                        var clock = Stopwatch.StartNew();
                        using var session = TrainingSession.Create(spec, splits);
                        var result = session.RunToCompletion();
                        time[mode] += clock.Elapsed.TotalSeconds;
                        accuracy[mode].Add(result.TestAccuracy);

                        // Compare functions on exact's range (the 0.5-99.5 percentiles of its pre-activations).
                        grid ??= Linspace(result.ActivationX[0], result.ActivationX[^1], CurvePoints);
                        var curve = ExactCurve(session.Model.Activation, grid);
                        exactCurve ??= curve;
                        deviation[mode].Add(MaxDeviation(curve, exactCurve));
                        progress.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{config.Name} seed {seed} {Names.Of(mode)}: test acc {result.TestAccuracy:P2}, best epoch {result.BestEpoch}, {clock.Elapsed.TotalSeconds:F0} s"));
                    }
                }

                var exact = accuracy[ActivationEvaluation.Exact];
                var cells = new List<string> { config.Name };
                cells.AddRange(modes.Select(m => (100 * accuracy[m].Average()).ToString("F2", CultureInfo.InvariantCulture)));
                cells.AddRange(modes.Skip(1).Select(m =>
                {
                    var differences = accuracy[m].Zip(exact, (a, e) => 100 * (a - e)).ToArray();
                    return $"{Signed(differences.Average())} ({StandardError(differences)}), {Signed(differences.MaxBy(Math.Abs))}";
                }));
                cells.AddRange(modes.Skip(1).Select(m => deviation[m].Average().ToString("F3", CultureInfo.InvariantCulture)));
                cells.AddRange(modes.Skip(1).Select(m => (time[ActivationEvaluation.Exact] / time[m]).ToString("F1", CultureInfo.InvariantCulture) + "x"));
                output.WriteLine("| " + string.Join(" | ", cells) + " |");
                output.Flush();
            }
        }

        output.WriteLine();
    }

    private static string Signed(double value)
    {
        var rounded = Math.Round(value, 2);
        return rounded == 0 ? "0.00" : rounded.ToString("+0.00;-0.00", CultureInfo.InvariantCulture);
    }

    /// <summary>Of the mean, from the seeds' spread: at the study's learning rate one seed moves by most of a point from
    /// rounding alone, so a mean over a few seeds means little without it. "-" for a single seed.</summary>
    private static string StandardError(double[] values)
    {
        if (values.Length < 2)
        {
            return "-";
        }

        var mean = values.Average();
        var variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1);
        return Math.Sqrt(variance / values.Length).ToString("F2", CultureInfo.InvariantCulture);
    }

    private static double[] Linspace(double min, double max, int count) =>
        [.. Enumerable.Range(0, count).Select(i => min + ((max - min) * i / (count - 1)))];

    private static double[] ExactCurve(ActivationNetwork activation, double[] x)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var column = tensor(x.Select(v => (float)v).ToArray()).reshape(-1, 1);
        return [.. ExactActivationEvaluator.Instance.Evaluate(activation, column).data<float>().ToArray().Select(v => (double)v)];
    }

    private static double MaxDeviation(double[] curve, double[] reference)
    {
        var span = reference.Max() - reference.Min();
        var worst = curve.Zip(reference, (c, r) => Math.Abs(c - r)).Max();
        return span > 0 ? worst / span : worst;
    }
}
