using System.Text.Json;
using LearnedActivation.Model.Analysis;

namespace LearnedActivation.Model.Tests.Analysis;

public sealed class PreActivationStatsTests
{
    private static readonly JsonSerializerOptions CamelCase = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    [Fact]
    public void PercentilesMeanAndSdOfAKnownSample()
    {
        // 0..100 shuffled: the p-th percentile is p itself (numpy's linear interpolation), mean 50, SD sqrt(850).
        var values = Enumerable.Range(0, 101).Select(v => (float)v).ToArray();
        new Random(3).Shuffle(values);

        var stats = PreActivationStats.FromUnsorted(values);

        Assert.Equal([0.5, 5, 25, 50, 75, 95, 99.5], stats.Percentiles.Select(p => Math.Round(p, 9)));
        Assert.Equal(101, stats.Count);
        Assert.Equal(50, stats.Mean, 9);
        Assert.Equal(Math.Sqrt(850), stats.Sd, 9);
        Assert.Equal(50, stats.Iqr, 9);
    }

    [Fact]
    public void PercentilesInterpolateBetweenOrderStatistics()
    {
        float[] values = [4, 1, 3, 2];

        var stats = PreActivationStats.FromUnsorted(values);

        // h = 3p: p25 -> between 1 and 2 at 0.75, p99.5 -> between 3 and 4 at 0.985.
        Assert.Equal(1.75, stats.P25, 12);
        Assert.Equal(2.5, stats.P50, 12);
        Assert.Equal(3.985, stats.P99_5, 9);
        Assert.Equal(1.015, stats.P0_5, 9);
    }

    [Theory]
    [InlineData(-1, 0.25)]
    [InlineData(-0.5, 0.375)]
    [InlineData(0, 0.5)]
    [InlineData(3, 0.9725)]
    [InlineData(-10, 0.005)]
    [InlineData(10, 0.995)]
    public void QuantileOfInterpolatesBetweenTheRecordedPercentiles(double x, double expected)
    {
        Assert.Equal(expected, KnownStats.Symmetric.QuantileOf(x), 12);
    }

    [Fact]
    public void UniformStandInStatisticsSpanExactlyTheGivenRange()
    {
        var stats = PreActivationStats.Uniform(-2, 4);

        Assert.Equal((-2.0, 4.0), (stats.P0_5, stats.P99_5));
        Assert.Equal(1, stats.P50, 12);
        Assert.Equal(stats.P50 - stats.P25, stats.P75 - stats.P50, 12);
        Assert.Equal(0.25, stats.QuantileOf(stats.P25), 12);
        Assert.Equal(0, stats.Count);
        Assert.Throws<ArgumentException>(() => PreActivationStats.Uniform(1, 1));
    }

    [Fact]
    public void LayerSegmentsGiveEachLayerAndThePooledValues()
    {
        // Layer 0 holds 0..9, layer 1 holds 100..119.
        var values = Enumerable.Range(0, 10).Concat(Enumerable.Range(100, 20)).Select(v => (float)v).Reverse().ToArray();
        var layer0 = PreActivationStats.FromUnsorted(Enumerable.Range(0, 10).Select(v => (float)v).ToArray());
        var layer1 = PreActivationStats.FromUnsorted(Enumerable.Range(100, 20).Select(v => (float)v).ToArray());
        var pooled = PreActivationStats.FromUnsorted(values.ToArray());
        var segmented = values.Skip(20).Concat(values.Take(20)).ToArray();

        var distribution = PreActivationDistribution.FromLayerSegments(segmented, [10, 20]);

        Assert.Equal([layer0, layer1], distribution.Layers);
        Assert.Equal(pooled, distribution.Pooled);
        Assert.Equal(30, distribution.Pooled.Count);
        Assert.Equal(4.5, distribution.Layers[0].P50, 12);
        Assert.Throws<ArgumentException>(() => PreActivationDistribution.FromLayerSegments(new float[5], [2, 2]));
    }

    [Fact]
    public void JsonKeysAreThePercentileNames()
    {
        var json = JsonSerializer.Serialize(KnownStats.Symmetric, CamelCase);

        using var document = JsonDocument.Parse(json);
        Assert.Equal(
            ["count", "p0.5", "p5", "p25", "p50", "p75", "p95", "p99.5", "mean", "sd"],
            document.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(KnownStats.Symmetric, JsonSerializer.Deserialize<PreActivationStats>(json, CamelCase));
    }
}
