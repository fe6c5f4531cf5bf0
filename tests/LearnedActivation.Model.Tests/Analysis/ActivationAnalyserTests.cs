using LearnedActivation.Model.Analysis;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Networks;
using LearnedActivation.Model.Tests.Networks;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Tests.Analysis;

/// <summary>The analysis of activation networks whose weights are set so that they represent known functions.</summary>
public sealed class ActivationAnalyserTests
{
    [Fact]
    public void ANetworkWithAKnownDipHasOneMinimumThere()
    {
        // relu(x - 1) + relu(1 - x) = |x - 1|: one minimum at x = 1, which the grid over [-3, 5] holds exactly.
        using var network = Network(BaseActivation.Relu, [[1], [-1]], [-1, 1], [[1, 1]], [0]);

        var analysis = ActivationAnalyser.Analyse(network, KnownStats.Shifted);

        var dip = Assert.Single(analysis.Extrema);
        Assert.Equal(1, analysis.ExtremaCount);
        Assert.Equal(ExtremumKind.Min, dip.Kind);
        Assert.Equal(1, dip.X, 12);
        Assert.Equal(0.5, dip.Z, 12);
        // f is 4 at both ends and 0 at the dip: its prominence is all of R.
        Assert.Equal(1, dip.Prominence, 12);
        Assert.NotNull(analysis.Dominant);
        Assert.Equal(1, analysis.Dominant.X, 12);
        // x = 1 is p75 of the pooled distribution.
        Assert.Equal(0.75, analysis.Dominant.Quantile, 12);
        Assert.Equal(2, analysis.TotalVariation, 9);
        Assert.Equal((-3.0, 5.0, 2001), (analysis.Min, analysis.Max, analysis.Points));
    }

    [Fact]
    public void AMonotoneNetworkHasTotalVariationOneAndNoExtrema()
    {
        // 3 tanh(2x + 1) - 1.
        using var network = Network(BaseActivation.Tanh, [[2]], [1], [[3]], [-1]);

        var analysis = ActivationAnalyser.Analyse(network, KnownStats.Symmetric);

        Assert.Equal(1, analysis.TotalVariation, 1e-9);
        Assert.Empty(analysis.Extrema);
        Assert.Equal(0, analysis.ExtremaCount);
        Assert.Null(analysis.Dominant);
    }

    [Fact]
    public void AReluNetworkFlatOnTheLeftHasAFlatLeftTail()
    {
        using var network = Network(BaseActivation.Relu, [[1]], [0], [[2]], [0.5f]);

        var analysis = ActivationAnalyser.Analyse(network, KnownStats.Symmetric);

        Assert.True(analysis.Tails.LeftFlat);
        Assert.False(analysis.Tails.RightFlat);
        Assert.Equal(double.PositiveInfinity, analysis.Asymmetry);
    }

    [Fact]
    public void PreActivationsThatSpanNoIntervalCannotBeAnalysed()
    {
        using var network = Network(BaseActivation.Relu, [[1]], [0], [[1]], [0]);
        var collapsed = new PreActivationStats(10, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0);
        var notFinite = collapsed with { P0_5 = double.NaN };

        Assert.False(ActivationAnalyser.CanAnalyse(collapsed));
        Assert.False(ActivationAnalyser.CanAnalyse(notFinite));
        Assert.True(ActivationAnalyser.CanAnalyse(KnownStats.Symmetric));
        Assert.Throws<ArgumentException>(() => ActivationAnalyser.Analyse(network, collapsed));
    }

    [Fact]
    public void TheNetworkIsEvaluatedInDoubleFromItsWeights()
    {
        using var network = new ActivationNetwork([16, 8], BaseActivation.Gelu, new Generator(11, CPU));
        double[] x = [-3.7, -1, 0, 0.25, 2.5];

        var values = ActivationAnalyser.Evaluate(network, x);

        Assert.Equal(x.Select(v => ReferenceActivation.Evaluate(network, v)), values);
    }

    [Fact]
    public void EveryCandidateIsFittedAndTheBaseDistanceIsTheBasesOwnError()
    {
        using var network = new ActivationNetwork([16, 8], BaseActivation.Gelu, new Generator(5, CPU));

        var analysis = ActivationAnalyser.Analyse(network, KnownStats.Symmetric);

        Assert.Equal(NearestFunction.Candidates, analysis.NearestAll.Keys);
        Assert.Equal(analysis.NearestAll["gelu"], analysis.BaseDistance);
        Assert.Equal(analysis.NearestAll.Values.Min(), analysis.Nearest.Error);
        Assert.Equal(analysis.Nearest.Error, analysis.NearestAll[analysis.Nearest.Function]);
        Assert.Contains(analysis.Nearest.Function, analysis.Nearest.Name.Split('|'));
    }

    [Fact]
    public void CandidatesThatFitEquallyWellAreAllNamed()
    {
        var shape = ShapeAnalysis.Measure([0, 1, 2], [0, 1, 2], KnownStats.Symmetric);
        NearestFit[] fits =
        [
            new("identity", 0.4, 1, 0, 1, 0),
            new("tanh", 0.0101, 2, 1, 3, -1),
            new("sigmoid", 0.0100, 4, 2, 6, -4),
            new("relu", 0.2, 1, 0, 1, 0),
        ];

        var analysis = ActivationAnalysis.From(0, 2, 3, shape, fits, "relu");

        Assert.Equal(new NearestSummary("tanh|sigmoid", "sigmoid", 0.0100, 4, 2, 6, -4), analysis.Nearest);
        Assert.Equal(0.2, analysis.BaseDistance);
        Assert.Equal(["identity", "tanh", "sigmoid", "relu"], analysis.NearestAll.Keys);
        Assert.Throws<ArgumentException>(() => ActivationAnalysis.From(0, 2, 3, shape, fits, "gelu"));
    }

    // The two tests below need the real NearestFunction (merged from its own branch): they check the fit itself.
    [Fact]
    public void ANetworkThatIsAnAffineTanhIsNearestToTanhAndSigmoidWithErrorNearZero()
    {
        // 3 tanh(2x + 1) - 1: tanh fits exactly, and sigmoid, being tanh up to the same freedom, ties with it.
        using var network = Network(BaseActivation.Tanh, [[2]], [1], [[3]], [-1]);

        var analysis = ActivationAnalyser.Analyse(network, KnownStats.Symmetric);

        Assert.Equal("tanh|sigmoid", analysis.Nearest.Name);
        Assert.True(analysis.Nearest.Error < 1e-3, $"error {analysis.Nearest.Error}");
        Assert.True(analysis.BaseDistance < 1e-3, $"base distance {analysis.BaseDistance}");
        Assert.True(analysis.NearestAll["identity"] > 0.05, $"identity error {analysis.NearestAll["identity"]}");
    }

    [Fact]
    public void ANetworkThatIsAShiftedAbsIsNearestToAbs()
    {
        using var network = Network(BaseActivation.Relu, [[1], [-1]], [-1, 1], [[1, 1]], [0]);

        var analysis = ActivationAnalyser.Analyse(network, KnownStats.Shifted);

        Assert.Equal("abs", analysis.Nearest.Name);
        Assert.True(analysis.Nearest.Error < 1e-3, $"error {analysis.Nearest.Error}");
        Assert.True(analysis.NearestAll["square"] > analysis.Nearest.Error);
    }

    /// <summary>A one-hidden-layer activation network 1 -> h -> 1 with the given weights.</summary>
    private static ActivationNetwork Network(BaseActivation baseActivation, float[][] w1, float[] b1, float[][] w2, float[] b2)
    {
        var network = new ActivationNetwork([b1.Length], baseActivation);
        using var noGrad = no_grad();
        Set(network.Layers[0], w1, b1);
        Set(network.Layers[1], w2, b2);
        return network;
    }

    private static void Set(TorchSharp.Modules.Linear layer, float[][] weight, float[] bias)
    {
        using var w = tensor(weight.SelectMany(r => r).ToArray(), [weight.Length, weight[0].Length]);
        using var b = tensor(bias);
        layer.weight!.copy_(w);
        layer.bias!.copy_(b);
    }
}
