using System.Text.Json;
using LearnedActivation.Model.Analysis;
using LearnedActivation.Model.Outputs;
using LearnedActivation.Model.Tests.Support;
using LearnedActivation.Model.Training;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Tests.Outputs;

/// <summary>A real short run writes the pre-activations and the analysis into metrics.json under the documented keys.</summary>
public sealed class RunOutputWriterTests : IDisposable
{
    private static readonly LearnedActivation.Model.Data.DataSplits Data = SyntheticTables.Splits();
    private static readonly string[] Kinds = ["min", "max"];
    private static readonly string[] PercentileKeys = ["p0.5", "p5", "p25", "p50", "p75", "p95", "p99.5", "mean", "sd"];

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void MetricsJsonHoldsThePreActivationsAndTheAnalysis()
    {
        using var session = TrainingSession.Create(SyntheticTables.Spec(epochs: 2), Data);
        var result = session.RunToCompletion();

        var files = RunOutputWriter.Write(_directory.Path, session, result, RunMetricsDocument.DataInfo.From(Data, "content"));

        using var json = JsonDocument.Parse(File.ReadAllText(files.Metrics));
        var root = json.RootElement;
        var preActivations = root.GetProperty("preactivations");
        AssertHasKeys(preActivations.GetProperty("pooled"), PercentileKeys);
        var layers = preActivations.GetProperty("layers").EnumerateArray().ToList();
        Assert.Equal(2, layers.Count);
        Assert.All(layers, l => AssertHasKeys(l, PercentileKeys));
        // The whole test split: 500 rows x (48 + 24) units, and per layer 500 x its width.
        Assert.Equal(500 * 72, preActivations.GetProperty("pooled").GetProperty("count").GetInt64());
        Assert.Equal([500 * 48, 500 * 24], layers.Select(l => l.GetProperty("count").GetInt64()));

        var analysis = root.GetProperty("analysis");
        AssertHasKeys(analysis, ["extrema", "extremaCount", "dominant", "totalVariation", "asymmetry", "tails", "nearest", "nearestAll", "baseDistance"]);
        AssertHasKeys(analysis.GetProperty("tails"), ["left", "right", "leftFlat", "rightFlat"]);
        AssertHasKeys(analysis.GetProperty("nearest"), ["name", "function", "error", "a", "c", "alpha", "beta"]);
        Assert.Equal(NearestFunction.Candidates, analysis.GetProperty("nearestAll").EnumerateObject().Select(p => p.Name));
        Assert.Equal(analysis.GetProperty("extrema").GetArrayLength(), analysis.GetProperty("extremaCount").GetInt32());
        foreach (var extremum in analysis.GetProperty("extrema").EnumerateArray())
        {
            AssertHasKeys(extremum, ["x", "z", "kind", "prominence"]);
            Assert.Contains(extremum.GetProperty("kind").GetString(), Kinds);
        }

        var pooled = result.PreActivations.Pooled;
        Assert.Equal((pooled.P0_5, pooled.P99_5), (analysis.GetProperty("min").GetDouble(), analysis.GetProperty("max").GetDouble()));
        var back = RunMetricsDocument.FromJson(File.ReadAllText(files.Metrics));
        Assert.Equal(pooled, back.PreActivations!.Pooled);
        Assert.Equal(result.PreActivations.Layers, back.PreActivations.Layers);
        Assert.NotNull(result.Analysis);
        Assert.Equal(result.Analysis.Nearest, back.Analysis!.Nearest);
        Assert.Equal(result.Analysis.Tails, back.Analysis.Tails);
    }

    [Fact]
    public void ThePreActivationsAreThoseOfEveryTestRowThroughTheBestWeights()
    {
        using var session = TrainingSession.Create(SyntheticTables.Spec(epochs: 1), Data);
        var result = session.RunToCompletion();

        // Recomputed by hand: every hidden layer's input to the activation, over the test split in one pass.
        var perLayer = new List<float>[] { [], [] };
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            session.Model.forward(tensor(Data.Test.Features, [Data.Test.Rows, Data.Test.Width]), (layer, pre, _) => perLayer[layer].AddRange(pre.data<float>().ToArray()));
        }

        Assert.Equal(PreActivationStats.FromUnsorted(perLayer[0].ToArray()), result.PreActivations.Layers[0]);
        Assert.Equal(PreActivationStats.FromUnsorted(perLayer[1].ToArray()), result.PreActivations.Layers[1]);
        Assert.Equal(PreActivationStats.FromUnsorted(perLayer[0].Concat(perLayer[1]).ToArray()), result.PreActivations.Pooled);
        Assert.Equal(ActivationAnalyser.Analyse(session.Model.Activation, result.PreActivations.Pooled).Nearest, result.Analysis!.Nearest);
    }

    private static void AssertHasKeys(JsonElement element, IEnumerable<string> keys)
    {
        var present = element.EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.All(keys, k => Assert.True(present.Contains(k), $"'{k}' missing from {element}"));
    }
}
