using System.Globalization;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Evaluation;
using LearnedActivation.Model.Evaluation.Fused;
using LearnedActivation.Model.Evaluation.Grid;
using LearnedActivation.Model.Networks;
using LearnedActivation.Tests;
using static TorchSharp.torch;

namespace LearnedActivation.Benchmarks;

/// <summary>
/// Function and gradient error of the grid evaluator against exact by knot count (how K was chosen), and of the
/// fused evaluator.
/// </summary>
internal static class GridErrorReport
{
    private static readonly int[] KnotCounts = [64, 128, 256, 512, 1024, 2048];

    public static void Run(TextWriter output)
    {
        output.WriteLine("## Grid evaluator error vs exact (input [512, 96] ~ N(0, 2), initial weights, seed 1)");
        output.WriteLine();
        output.WriteLine("Relu networks are reproduced from their bends, so K does not apply to them.");
        output.WriteLine();
        output.WriteLine("| base | act size | K | max function error | max abs output | input grad rel. error | worst param grad rel. error |");
        output.WriteLine("|---|---|---:|---:|---:|---:|---:|");
        foreach (var baseActivation in Enum.GetValues<BaseActivation>())
        {
            foreach (var size in Enum.GetValues<SizePreset>())
            {
                using var network = new ActivationNetwork(StudyPresets.ActivationHidden(size), baseActivation, new Generator(1, CPU));
                using var scope = NewDisposeScope();
                var (input, upstream) = TrainingLikeBatch();
                foreach (var knots in baseActivation == BaseActivation.Relu ? [GridActivationEvaluator.DefaultKnots] : KnotCounts)
                {
                    var agreement = EvaluatorAgreement.Measure(network, input, upstream, ExactActivationEvaluator.Instance, new GridActivationEvaluator(knots));
                    output.WriteLine(string.Create(
                        CultureInfo.InvariantCulture,
                        $"| {Names.Of(baseActivation)} | {Names.Of(size)} | {knots} | {agreement.MaxFunctionError:E1} | {agreement.MaxOutputScale:F2} | {agreement.InputGradientError:E1} | {agreement.ParameterGradientError:E1} |"));
                }
            }
        }

        output.WriteLine();
        output.WriteLine("## Fused evaluator error vs exact (same inputs)");
        output.WriteLine();
        output.WriteLine("| base | act size | max function error | input grad rel. error | worst param grad rel. error |");
        output.WriteLine("|---|---|---:|---:|---:|");
        foreach (var baseActivation in Enum.GetValues<BaseActivation>())
        {
            foreach (var size in Enum.GetValues<SizePreset>())
            {
                using var network = new ActivationNetwork(StudyPresets.ActivationHidden(size), baseActivation, new Generator(1, CPU));
                using var scope = NewDisposeScope();
                var (input, upstream) = TrainingLikeBatch();
                var agreement = EvaluatorAgreement.Measure(network, input, upstream, ExactActivationEvaluator.Instance, FusedActivationEvaluator.Instance);
                output.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {Names.Of(baseActivation)} | {Names.Of(size)} | {agreement.MaxFunctionError:E1} | {agreement.InputGradientError:E1} | {agreement.ParameterGradientError:E1} |"));
            }
        }

        output.WriteLine();
    }

    /// <summary>The same inputs for every table: [512, 96] ~ N(0, 2) and a random upstream gradient (seed 2).</summary>
    private static (Tensor Input, Tensor Upstream) TrainingLikeBatch()
    {
        var generator = new Generator(2, CPU);
        return (randn([512, 96], generator: generator) * 2, randn([512, 96], generator: generator));
    }
}
