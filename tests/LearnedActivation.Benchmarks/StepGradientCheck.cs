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
/// Are a mode's gradients as close to exact's late in training as at the start? Trains one run with exact and, after
/// every epoch, gives the same weights to a copy of the network in each faster mode: the largest relative error
/// (||g - g_exact|| / ||g_exact|| per parameter tensor) of one training batch's loss gradients, for the outer layers
/// and for the activation network. The accuracy check compares where whole runs end up; this separates one step's
/// error from how far training carries it. Fused differs from exact by rounding alone: its column is the yardstick.
/// </summary>
internal static class StepGradientCheck
{
    private const string DefaultDataFile = "covertype/covertype_binary10_from_mlpack_subset_100k.csv.gz";

    public static void Run(TextWriter output, int epochs, long seed, string? dataPath, TrainConfig training, ModelConfig config)
    {
        var data = new CsvDataSource(dataPath ?? Path.Combine(SharedData.Root, DefaultDataFile), "target").Load();
        var splits = BenchmarkSplit.Split(data, seed);
        var spec = new RunSpec(config, training with { Epochs = epochs, Seed = seed, TorchThreads = 1, ActivationEval = ActivationEvaluation.Exact }, data.ContentHash());
        using var session = TrainingSession.Create(spec, splits);
        var width = splits.Train.Width;
        var rows = Math.Min(training.BatchSize, splits.Train.Rows);
        ActivationEvaluation[] modes = [ActivationEvaluation.Fused, ActivationEvaluation.Grid];

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"## Step gradients along exact's run: {config.Name}, seed {seed}, batch {training.BatchSize}, lr {training.LearningRate:G3}, first {rows} training rows"));
        output.WriteLine();
        output.WriteLine("| after epoch | train loss (batch) | " + string.Join(" | ", modes.Select(m => $"{Names.Of(m)}: outer, activation")) + " |");
        output.WriteLine("|---:|---:|" + string.Concat(modes.Select(_ => "---:|")));
        for (var epoch = 0; epoch <= epochs && !(epoch > 0 && session.IsComplete); epoch++)
        {
            if (epoch > 0)
            {
                session.RunEpoch();
            }

            using var scope = NewDisposeScope();
            var features = tensor(splits.Train.Features.AsSpan(0, rows * width).ToArray(), [rows, width]);
            var labels = tensor(splits.Train.Labels.AsSpan(0, rows).ToArray(), [rows]);
            var reference = Gradients(session.Model, config, width, ActivationEvaluation.Exact, features, labels);
            var cells = modes.Select(mode =>
            {
                var other = Gradients(session.Model, config, width, mode, features, labels);
                return string.Create(CultureInfo.InvariantCulture, $"{LargestError(other, reference, activation: false):E1}, {LargestError(other, reference, activation: true):E1}");
            });
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {epoch} | {reference.Loss:F4} | {string.Join(" | ", cells)} |"));
            output.Flush();
        }

        output.WriteLine();
    }

    private static double LargestError(BatchGradients other, BatchGradients reference, bool activation) =>
        reference.Tensors
            .Select((g, i) => (g.Name, Error: RelativeError(other.Tensors[i].Values, g.Values)))
            .Where(p => p.Name.StartsWith("activation.", StringComparison.Ordinal) == activation)
            .Max(p => p.Error);

    private static double RelativeError(float[] values, float[] reference)
    {
        double difference = 0, size = 0;
        for (var i = 0; i < values.Length; i++)
        {
            difference += (values[i] - (double)reference[i]) * (values[i] - (double)reference[i]);
            size += reference[i] * (double)reference[i];
        }

        return size > 0 ? Math.Sqrt(difference / size) : Math.Sqrt(difference);
    }

    private sealed record BatchGradients(float Loss, List<(string Name, float[] Values)> Tensors);

    /// <summary>The batch loss's gradients of a copy of <paramref name="source"/> that evaluates its activation in <paramref name="mode"/>.</summary>
    private static BatchGradients Gradients(LearnedActivationNetwork source, ModelConfig config, int width, ActivationEvaluation mode, Tensor features, Tensor labels)
    {
        using var copy = new LearnedActivationNetwork(width, config, evaluator: ActivationEvaluators.For(mode));
        using (no_grad())
        {
            foreach (var ((_, to), (_, from)) in copy.named_parameters().Zip(source.named_parameters()))
            {
                to.copy_(from);
            }
        }

        copy.train();
        var loss = nn.functional.binary_cross_entropy_with_logits(copy.forward(features), labels);
        loss.backward();
        return new BatchGradients(loss.item<float>(), [.. copy.named_parameters().Select(p => (p.name, p.parameter.grad!.data<float>().ToArray()))]);
    }
}
