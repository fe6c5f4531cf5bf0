using System.Globalization;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Evaluation;
using LearnedActivation.Model.Networks;
using LearnedActivation.Model.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LearnedActivation.Benchmarks;

/// <summary>
/// One full training step (forward, BCE-with-logits, backward, the project's Adam) of the outer network with each
/// way of computing its activation, and the same step with a fixed activation as the baseline. Batch 512 unless
/// <c>--batch</c> says otherwise (the study trains with 2048 since issue 11; earlier figures are at 512).
/// </summary>
internal static class StepBenchmark
{
    public const int DefaultBatch = 512;
    private const int Features = 10;

    private static readonly SizePreset[] AllSizes = [SizePreset.Small, SizePreset.Medium, SizePreset.Large];

    /// <param name="sizes">Outer and activation size together (small/small, ...); null: all three.</param>
    /// <param name="bases">The bases to time; null: every base.</param>
    public static void Run(TextWriter output, BenchmarkOptions options, IReadOnlyList<ActivationEvaluation> modes, IReadOnlyList<SizePreset>? sizes = null, int batch = DefaultBatch, IReadOnlyList<BaseActivation>? bases = null)
    {
        output.WriteLine($"## Training step, batch {batch} (median ms over {options.Repetitions} interleaved repetitions of {options.StepsPerSample} steps)");
        output.WriteLine();
        var header = "| outer/act | base | fixed | " + string.Join(" | ", modes.Select(Names.Of)) + " | " + string.Join(" | ", modes.Select(m => $"{Names.Of(m)} / fixed")) + " |";
        output.WriteLine(header);
        output.WriteLine("|---|---|" + string.Concat(Enumerable.Repeat("---:|", 1 + (2 * modes.Count))));
        foreach (var size in sizes ?? AllSizes)
        {
            foreach (var baseActivation in bases ?? Enum.GetValues<BaseActivation>())
            {
                var config = new ModelConfig(baseActivation, size, size);
                var evaluators = new List<IActivationEvaluator> { new FixedActivationEvaluator(baseActivation) };
                evaluators.AddRange(modes.Select(ActivationEvaluators.For));
                var steps = evaluators.Select(e => new TrainingStep(config, e, batch)).ToArray();
                try
                {
                    var medians = TimedModes.Medians([.. steps.Select(s => (Action)s.Run)], options);
                    var fixedTime = medians[0];
                    var times = string.Join(" | ", medians.Select(m => m.ToString("F2", CultureInfo.InvariantCulture)));
                    var ratios = string.Join(" | ", medians.Skip(1).Select(m => (m / fixedTime).ToString("F1", CultureInfo.InvariantCulture) + "x"));
                    output.WriteLine($"| {Names.Of(size)}/{Names.Of(size)} | {Names.Of(baseActivation)} | {times} | {ratios} |");
                }
                finally
                {
                    foreach (var step in steps)
                    {
                        step.Dispose();
                    }
                }
            }
        }

        output.WriteLine();
    }

    /// <summary>A network, its optimizer and one fixed random batch.</summary>
    private sealed class TrainingStep : IDisposable
    {
        private readonly LearnedActivationNetwork _model;
        private readonly AdamOptimizer _optimizer;
        private readonly Tensor _features;
        private readonly Tensor _labels;

        public TrainingStep(ModelConfig config, IActivationEvaluator evaluator, int batch)
        {
            var generator = new Generator(7, CPU);
            _model = new LearnedActivationNetwork(Features, config, generator, evaluator);
            _optimizer = new AdamOptimizer(_model.parameters(), 1e-3);
            _features = randn([batch, Features], generator: generator);
            _labels = (rand([batch], generator: generator) > 0.5).to(ScalarType.Float32);
        }

        public void Run()
        {
            using var scope = NewDisposeScope();
            _optimizer.ZeroGrad();
            var loss = nn.functional.binary_cross_entropy_with_logits(_model.forward(_features), _labels);
            loss.backward();
            _optimizer.Step();
        }

        public void Dispose()
        {
            _optimizer.Dispose();
            _model.Dispose();
            _features.Dispose();
            _labels.Dispose();
        }
    }
}
