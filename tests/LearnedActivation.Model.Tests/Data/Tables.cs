using LearnedActivation.Model.Data;

namespace LearnedActivation.Model.Tests.Data;

/// <summary>Synthetic in-memory tables whose rows can be recognised after a split.</summary>
internal static class Tables
{
    /// <summary>
    /// Feature 0 is the row index (so a row is recognisable after scaling), feature 1 a function of it;
    /// every <paramref name="positiveEvery"/>-th row is class 1.
    /// </summary>
    public static TabularData Indexed(int rows, int positiveEvery = 2)
    {
        var features = new float[rows * 2];
        var labels = new float[rows];
        for (var r = 0; r < rows; r++)
        {
            features[2 * r] = r;
            features[(2 * r) + 1] = (r % 17) * 0.5f;
            labels[r] = r % positiveEvery == 0 ? 1f : 0f;
        }

        return new TabularData("synthetic", ["id", "wave"], "y", features, labels, new LabelMapping("0", "1"));
    }

    /// <summary>Recovers the original row index from a standardised id feature.</summary>
    public static int[] OriginalIds(TabularData split, FeatureScaling scaling) =>
        Enumerable.Range(0, split.Rows)
            .Select(r => (int)Math.Round((split.Features[r * split.Width] * scaling.StdDev[0]) + scaling.Mean[0]))
            .ToArray();
}
