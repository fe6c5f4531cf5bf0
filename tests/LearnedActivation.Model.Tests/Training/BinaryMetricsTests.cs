using LearnedActivation.Model.Training;

namespace LearnedActivation.Model.Tests.Training;

public sealed class BinaryMetricsTests
{
    [Fact]
    public void AucOfTheTextbookExample()
    {
        // Positives 0.35 and 0.8; negatives 0.1 and 0.4: 3 of the 4 pairs are ordered correctly.
        Assert.Equal(0.75, BinaryMetrics.RocAuc([0.1f, 0.4f, 0.35f, 0.8f], [0, 0, 1, 1]), 12);
    }

    [Fact]
    public void AucCountsATiedPairAsOneHalf()
    {
        // Pairs (pos, neg): (0.5, 0.5) tie = 1/2, (0.5, 0.2) = 1, (0.9, 0.5) = 1, (0.9, 0.2) = 1 -> 3.5 / 4.
        Assert.Equal(0.875, BinaryMetrics.RocAuc([0.5f, 0.5f, 0.2f, 0.9f], [1, 0, 0, 1]), 12);
    }

    [Fact]
    public void AucOfConstantScoresIsOneHalf()
    {
        Assert.Equal(0.5, BinaryMetrics.RocAuc([3f, 3f, 3f, 3f, 3f], [0, 1, 1, 0, 1]), 12);
    }

    [Fact]
    public void AucOfPerfectAndReversedRankings()
    {
        Assert.Equal(1.0, BinaryMetrics.RocAuc([-2f, -1f, 1f, 2f], [0, 0, 1, 1]), 12);
        Assert.Equal(0.0, BinaryMetrics.RocAuc([2f, 1f, -1f, -2f], [0, 0, 1, 1]), 12);
    }

    [Fact]
    public void AucWithManyTiesMatchesCountingAllPairs()
    {
        var random = new Random(3);
        var scores = Enumerable.Range(0, 301).Select(_ => (float)random.Next(6)).ToArray();
        var labels = scores.Select(s => random.NextDouble() < 0.2 + (s / 8) ? 1f : 0f).ToArray();

        double wins = 0;
        long pairs = 0;
        for (var p = 0; p < scores.Length; p++)
        {
            for (var n = 0; n < scores.Length; n++)
            {
                if (labels[p] == 1 && labels[n] == 0)
                {
                    pairs++;
                    wins += scores[p] > scores[n] ? 1 : scores[p] == scores[n] ? 0.5 : 0;
                }
            }
        }

        Assert.Equal(wins / pairs, BinaryMetrics.RocAuc(scores, labels), 12);
    }

    [Fact]
    public void AucIsUndefinedWithOneClassOrNaNScores()
    {
        Assert.True(double.IsNaN(BinaryMetrics.RocAuc([0.1f, 0.2f], [1, 1])));
        Assert.True(double.IsNaN(BinaryMetrics.RocAuc([0.1f, 0.2f], [0, 0])));
        Assert.True(double.IsNaN(BinaryMetrics.RocAuc([0.1f, float.NaN], [0, 1])));
    }

    [Fact]
    public void AccuracyPredictsOneForPositiveLogitsOnly()
    {
        // Predictions 0, 0, 1, 1 (a logit of exactly 0 is probability 1/2, predicted 0).
        Assert.Equal(0.75, BinaryMetrics.Accuracy([-1f, 0f, 2f, 0.5f], [0, 0, 1, 0]), 12);
    }

    [Fact]
    public void BceWithLogitsIsExactAndStableForLargeLogits()
    {
        Assert.Equal(Math.Log(2), BinaryMetrics.BceWithLogits([0f], [1]), 12);
        Assert.Equal(100, BinaryMetrics.BceWithLogits([100f], [0]), 9);
        Assert.Equal(0, BinaryMetrics.BceWithLogits([100f], [1]), 9);
        Assert.Equal((Math.Log(1 + Math.Exp(-2)) + Math.Log(1 + Math.Exp(-1))) / 2, BinaryMetrics.BceWithLogits([2f, -1f], [1, 0]), 12);
    }

    [Fact]
    public void RejectsMismatchedOrEmptyInputs()
    {
        Assert.Throws<ArgumentException>(() => BinaryMetrics.RocAuc([1f, 2f], [1]));
        Assert.Throws<ArgumentException>(() => BinaryMetrics.Accuracy([], []));
    }
}
