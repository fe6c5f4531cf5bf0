using System.Text.Json;
using System.Text.Json.Nodes;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Reporting;

namespace LearnedActivation.Model.Tests.Reporting;

public sealed class RunSummaryJsonTests
{
    private static readonly ModelConfig Config = new(BaseActivation.Gelu, SizePreset.Medium, SizePreset.Large);

    [Fact]
    public void CompletedSummaryRoundTripsExactly()
    {
        var summary = SweepRunsFixture.Completed(Config, seed: 3, runName: "gelu_medium_large_s3") with { TrainingTime = TimeSpan.FromMilliseconds(123_456.789) };

        var json = RunSummaryJson.Serialize(summary);
        var back = RunSummaryJson.Deserialize(json);

        AssertSame(summary, back);
        Assert.Contains("\"Outcome\":\"Completed\"", json, StringComparison.Ordinal);
        Assert.Contains("\"Base\":\"Gelu\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void SummaryRoundTripsWithDefaultSerializerOptionsToo()
    {
        // The coordinator may store summaries with its own options; the record must not depend on ours.
        var summary = SweepRunsFixture.Failed(Config, "diverged");

        var back = JsonSerializer.Deserialize<RunSummary>(JsonSerializer.Serialize(summary));

        Assert.NotNull(back);
        AssertSame(summary, back);
    }

    [Fact]
    public void MissingSummaryWithNullsRoundTrips()
    {
        var summary = RunSummary.Missing(Config, 0, Config.Name);

        var back = RunSummaryJson.Deserialize(RunSummaryJson.Serialize(summary));

        AssertSame(summary, back);
        Assert.Null(back.LearnedActivation);
        Assert.Null(back.Curves);
        Assert.Null(back.TestAuc);
    }

    [Fact]
    public void NonFiniteMetricsOfADivergedRunRoundTrip()
    {
        var completed = SweepRunsFixture.Completed(Config);
        var summary = completed with
        {
            Outcome = RunOutcome.Failed,
            ValAccuracy = double.NaN,
            Curves = completed.Curves! with { TrainLoss = [0.7, double.NaN], ValidationLoss = [0.7, double.PositiveInfinity] },
        };

        var back = RunSummaryJson.Deserialize(RunSummaryJson.Serialize(summary));

        Assert.True(double.IsNaN(back.ValAccuracy!.Value));
        Assert.Equal(summary.Curves.TrainLoss, back.Curves!.TrainLoss);
        Assert.Equal(summary.Curves.ValidationLoss, back.Curves.ValidationLoss);
    }

    [Fact]
    public void TheAnalysisRoundTripsAndOlderSummariesWithoutOneStillRead()
    {
        var summary = SweepRunsFixture.Completed(Config) with { Analysis = Analysis.KnownStats.Analysis() };

        var back = RunSummaryJson.Deserialize(RunSummaryJson.Serialize(summary));
        var node = JsonNode.Parse(RunSummaryJson.Serialize(summary))!.AsObject();
        node.Remove("Analysis");
        var older = RunSummaryJson.Deserialize(node.ToJsonString());

        Assert.NotNull(back.Analysis);
        Assert.Equal(summary.Analysis.Extrema, back.Analysis.Extrema);
        Assert.Equal(summary.Analysis.NearestAll, back.Analysis.NearestAll);
        Assert.Equal(summary.Analysis with { Extrema = [], NearestAll = null! }, back.Analysis with { Extrema = [], NearestAll = null! });
        Assert.Null(older.Analysis);
    }

    [Fact]
    public void InvalidCurveInJsonIsRejectedOnRead()
    {
        var node = JsonNode.Parse(RunSummaryJson.Serialize(SweepRunsFixture.Completed(Config)))!;
        node["LearnedActivation"]!["X"]![0] = 1e9;

        var error = Assert.Throws<ArgumentException>(() => RunSummaryJson.Deserialize(node.ToJsonString()));

        Assert.Contains("strictly increasing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RunNameMustNotBeEmpty()
    {
        Assert.Throws<ArgumentException>(() => RunSummary.Missing(Config, 0, " "));
    }

    [Theory]
    [InlineData(false, "gelu_medium_large")]
    [InlineData(true, "gelu_medium_large_s12")]
    public void NameForAppendsTheSeedOnlyWhenTheSweepHasSeveral(bool severalSeeds, string expected)
    {
        Assert.Equal(expected, RunSummary.NameFor(Config, 12, severalSeeds));
    }

    private static void AssertSame(RunSummary expected, RunSummary actual)
    {
        // Records compare arrays by reference; compare the plain fields with `with`, then the arrays by value.
        Assert.Equal(expected with { LearnedActivation = null, Curves = null }, actual with { LearnedActivation = null, Curves = null });
        Assert.Equal(expected.LearnedActivation?.Label, actual.LearnedActivation?.Label);
        Assert.Equal(expected.LearnedActivation?.X, actual.LearnedActivation?.X);
        Assert.Equal(expected.LearnedActivation?.Y, actual.LearnedActivation?.Y);
        Assert.Equal(expected.Curves?.Name, actual.Curves?.Name);
        Assert.Equal(expected.Curves?.TrainLoss, actual.Curves?.TrainLoss);
        Assert.Equal(expected.Curves?.ValidationLoss, actual.Curves?.ValidationLoss);
        Assert.Equal(expected.Curves?.ValidationAccuracy, actual.Curves?.ValidationAccuracy);
    }
}
