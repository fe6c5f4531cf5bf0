using LearnedActivation.Model.Networks;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Training;

/// <summary>Scores a network on a split without touching its weights or the autograd graph.</summary>
public static class ModelEvaluation
{
    /// <summary>Rows per forward pass when evaluating; does not affect results.</summary>
    public const int BatchSize = 8192;

    /// <summary>Loss, accuracy and AUC of <paramref name="model"/> on (features [rows, width], labels).</summary>
    public static EvaluationResult Evaluate(LearnedActivationNetwork model, Tensor features, float[] labels)
    {
        var logits = Logits(model, features);
        return new EvaluationResult(
            BinaryMetrics.BceWithLogits(logits, labels),
            BinaryMetrics.Accuracy(logits, labels),
            BinaryMetrics.RocAuc(logits, labels));
    }

    /// <summary>The model's logits for every row, computed in chunks under no_grad.</summary>
    public static float[] Logits(LearnedActivationNetwork model, Tensor features)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(features);

        // The networks have no dropout or batch norm, so train/eval mode is irrelevant and left alone:
        // evaluation must not change anything a later training step sees.
        using var noGrad = no_grad();
        var rows = (int)features.shape[0];
        var logits = new float[rows];
        for (var start = 0; start < rows; start += BatchSize)
        {
            using var scope = NewDisposeScope();
            var count = Math.Min(BatchSize, rows - start);
            var output = model.forward(features.narrow(0, start, count));
            output.data<float>().CopyTo(logits, start);
        }

        return logits;
    }

    internal static EvaluationResult Evaluate(LearnedActivationNetwork model, SplitTensors split) =>
        Evaluate(model, split.Features, split.LabelValues);
}
