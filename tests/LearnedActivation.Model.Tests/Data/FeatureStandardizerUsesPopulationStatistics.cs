using LearnedActivation.Model.Data;

namespace LearnedActivation.Model.Tests.Data;

public sealed class FeatureStandardizerUsesPopulationStatistics
{
    private static TabularData Table(float[] features, int width) =>
        new("t", Enumerable.Range(0, width).Select(i => $"f{i}").ToArray(), "y", features, new float[features.Length / width], new LabelMapping("0", "1"));

    [Fact]
    public void FitComputesMeanAndPopulationStdPerFeature()
    {
        // Columns: [1,2,3,4] and [10,10,10,30].
        var scaling = FeatureStandardizer.Fit(Table([1, 10, 2, 10, 3, 10, 4, 30], 2));
        Assert.Equal([2.5, 15.0], scaling.Mean);
        Assert.Equal(Math.Sqrt(1.25), scaling.StdDev[0], 15);
        Assert.Equal(Math.Sqrt(75.0), scaling.StdDev[1], 15);
    }

    [Fact]
    public void ApplyUsesTheGivenStatisticsNotTheTablesOwn()
    {
        var scaling = new FeatureScaling([2.5, 15.0], [0.5, 5.0]);
        var scaled = FeatureStandardizer.Apply(Table([2.5f, 15f, 3.5f, 5f], 2), scaling);
        Assert.Equal([0f, 0f, 2f, -2f], scaled.Features);
    }

    [Fact]
    public void FeatureConstantInTrainIsCentredNotDividedByZero()
    {
        var scaling = FeatureStandardizer.Fit(Table([7, 1, 7, 2], 2));
        Assert.Equal(1.0, scaling.StdDev[0]);
        Assert.Equal([0f, 2f], FeatureStandardizer.Apply(Table([7, 0, 9, 0], 2), scaling).Features.Where((_, i) => i % 2 == 0));
    }
}
