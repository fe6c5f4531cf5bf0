using System.Globalization;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Evaluation;
using LearnedActivation.Model.Networks;
using static TorchSharp.torch;

namespace LearnedActivation.Benchmarks;

/// <summary>The activation network alone: forward and backward (to the input and the parameters) on a training-sized input.</summary>
internal static class ActivationBenchmark
{
    // The first hidden layer of the large outer network on a batch of 512: the largest single call in training.
    private static readonly long[] Shape = [512, 96];

    public static void Run(TextWriter output, BenchmarkOptions options, IReadOnlyList<ActivationEvaluation> modes)
    {
        output.WriteLine($"## Activation network alone, input [{Shape[0]}, {Shape[1]}] ~ N(0, 2), forward + backward (median ms)");
        output.WriteLine();
        output.WriteLine("| act size | base | fixed | " + string.Join(" | ", modes.Select(Names.Of)) + " | " + string.Join(" | ", modes.Skip(1).Select(m => $"{Names.Of(modes[0])} / {Names.Of(m)}")) + " |");
        output.WriteLine("|---|---|" + string.Concat(Enumerable.Repeat("---:|", 1 + modes.Count + modes.Count - 1)));
        foreach (var size in Enum.GetValues<SizePreset>())
        {
            foreach (var baseActivation in Enum.GetValues<BaseActivation>())
            {
                using var network = new ActivationNetwork(StudyPresets.ActivationHidden(size), baseActivation, new Generator(3, CPU));
                using var input = randn(Shape, generator: new Generator(4, CPU)) * 2;
                using var upstream = randn(Shape, generator: new Generator(5, CPU));
                var evaluators = new List<IActivationEvaluator> { new FixedActivationEvaluator(baseActivation) };
                evaluators.AddRange(modes.Select(ActivationEvaluators.For));
                var medians = TimedModes.Medians([.. evaluators.Select(e => (Action)(() => ForwardBackward(network, e, input, upstream)))], options);
                var times = string.Join(" | ", medians.Select(m => m.ToString("F2", CultureInfo.InvariantCulture)));
                var ratios = string.Join(" | ", medians.Skip(2).Select(m => (medians[1] / m).ToString("F1", CultureInfo.InvariantCulture) + "x"));
                output.WriteLine($"| {Names.Of(size)} | {Names.Of(baseActivation)} | {times} | {ratios} |");
            }
        }

        output.WriteLine();
    }

    private static void ForwardBackward(ActivationNetwork network, IActivationEvaluator evaluator, Tensor input, Tensor upstream)
    {
        using var scope = NewDisposeScope();
        network.zero_grad();
        var x = input.detach().requires_grad_(true);
        var y = evaluator.Evaluate(network, x.reshape(-1, 1)).reshape(Shape);
        y.backward([upstream]);
    }
}
