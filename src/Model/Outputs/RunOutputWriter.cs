using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.IO;
using LearnedActivation.Model.Plots;
using LearnedActivation.Model.Training;

namespace LearnedActivation.Model.Outputs;

/// <summary>
/// Writes what one finished run leaves behind into a folder: the activation's weights, the graph of the
/// learned function under the original study's file name, the learning curve and metrics.json. The fixed arms have
/// no activation network: they leave the learning curve and metrics.json only.
/// The CLI's train command and the sweep's training backend both use it, so the two produce the same files.
/// </summary>
public static class RunOutputWriter
{
    public const string LearningCurveFile = "learning_curve.png";
    public const string MetricsFile = "metrics.json";
    /// <summary>TorchSharp weights; the PyTorch (.pt) and safetensors copies take the same stem.</summary>
    public const string ActivationWeightsFile = "activation.dat";

    public static RunOutputFiles Write(string directory, TrainingSession session, RunResult result, RunMetricsDocument.DataInfo data)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(result);
        Directory.CreateDirectory(directory);
        var spec = session.Spec;
        var model = spec.Model;

        Checkpoints.ActivationWeightFiles? weights = null;
        string? activationPlot = null;
        if (session.Model.HasActivationNetwork)
        {
            weights = session.SaveActivationWeights(Path.Combine(directory, ActivationWeightsFile));
            activationPlot = Path.Combine(directory, model.ActivationPlotFileName);
            ActivationPlot.Save(activationPlot, ActivationFigure(model, result));
        }

        var curvePlot = Path.Combine(directory, LearningCurveFile);
        LearningCurvePlot.Save(curvePlot, $"learning curve: {model.Name}", Curves(model.Name, result.History));

        var metrics = Path.Combine(directory, MetricsFile);
        AtomicFile.WriteAllText(metrics, RunMetricsDocument.From(spec, result, data).ToJson());

        return new RunOutputFiles(directory, activationPlot, curvePlot, metrics, weights);
    }

    /// <summary>The learned function (best weights), the base function dashed, and the test pre-activations behind.</summary>
    public static LearnedActivationFigure ActivationFigure(ModelConfig model, RunResult result)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(result);
        var x = result.ActivationX;
        var range = new XRange(x[0], x[^1]);
        return new LearnedActivationFigure(
            LearnedActivationFigure.TitleFor(model.Base, model.Outer, model.Activation),
            new FunctionCurve("learned", x, result.ActivationY),
            BaseCurves.Of(model.Base, x),
            ValueHistogram.FromSamples(result.PreActivationSample, range));
    }

    public static EpochSeries Curves(string name, IReadOnlyList<EpochMetrics> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        return new EpochSeries(
            name,
            [.. history.Select(m => m.TrainLoss)],
            [.. history.Select(m => m.ValLoss)],
            [.. history.Select(m => m.ValAccuracy)],
            [.. history.Select(m => m.ValAuc)]);
    }
}

/// <summary>Paths of what <see cref="RunOutputWriter.Write"/> wrote; the activation's plot and weights are null in the fixed arms.</summary>
public sealed record RunOutputFiles(string Directory, string? ActivationPlot, string LearningCurve, string Metrics, Checkpoints.ActivationWeightFiles? Weights);
