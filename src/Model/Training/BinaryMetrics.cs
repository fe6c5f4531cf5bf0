namespace LearnedActivation.Model.Training;

/// <summary>Accuracy, loss and ROC AUC of logits against 0/1 labels, computed in double.</summary>
public static class BinaryMetrics
{
    /// <summary>Fraction of rows where (logit &gt; 0) equals the label.</summary>
    public static double Accuracy(ReadOnlySpan<float> logits, ReadOnlySpan<float> labels)
    {
        CheckLengths(logits, labels);
        var correct = 0;
        for (var i = 0; i < logits.Length; i++)
        {
            var predicted = logits[i] > 0 ? 1f : 0f;
            if (predicted == labels[i])
            {
                correct++;
            }
        }

        return (double)correct / logits.Length;
    }

    /// <summary>Mean binary cross-entropy of sigmoid(logit), in the overflow-free form PyTorch uses.</summary>
    public static double BceWithLogits(ReadOnlySpan<float> logits, ReadOnlySpan<float> labels)
    {
        CheckLengths(logits, labels);
        var sum = 0.0;
        for (var i = 0; i < logits.Length; i++)
        {
            double z = logits[i];
            sum += Math.Max(z, 0) - (z * labels[i]) + Math.Log(1 + Math.Exp(-Math.Abs(z)));
        }

        return sum / logits.Length;
    }

    /// <summary>
    /// Area under the ROC curve: the probability that a random positive scores above a random negative, ties
    /// counting one half (Mann-Whitney U with average ranks). NaN when a class is absent or a score is NaN.
    /// </summary>
    public static double RocAuc(ReadOnlySpan<float> scores, ReadOnlySpan<float> labels)
    {
        CheckLengths(scores, labels);
        var n = scores.Length;
        var keys = new float[n];
        var positive = new bool[n];
        long positives = 0;
        for (var i = 0; i < n; i++)
        {
            if (float.IsNaN(scores[i]))
            {
                return double.NaN;
            }

            keys[i] = scores[i];
            positive[i] = labels[i] > 0.5f;
            positives += positive[i] ? 1 : 0;
        }

        long negatives = n - positives;
        if (positives == 0 || negatives == 0)
        {
            return double.NaN;
        }

        Array.Sort(keys, positive);

        // Each run of equal scores shares the average of the ranks it spans (ranks are 1-based).
        var positiveRankSum = 0.0;
        for (var start = 0; start < n;)
        {
            var end = start + 1;
            while (end < n && keys[end] == keys[start])
            {
                end++;
            }

            var averageRank = (start + 1 + end) / 2.0;
            for (var i = start; i < end; i++)
            {
                if (positive[i])
                {
                    positiveRankSum += averageRank;
                }
            }

            start = end;
        }

        var u = positiveRankSum - (positives * (positives + 1) / 2.0);
        return u / ((double)positives * negatives);
    }

    private static void CheckLengths(ReadOnlySpan<float> values, ReadOnlySpan<float> labels)
    {
        if (values.Length != labels.Length)
        {
            throw new ArgumentException($"{values.Length} scores but {labels.Length} labels");
        }

        if (values.Length == 0)
        {
            throw new ArgumentException("no rows to score");
        }
    }
}
