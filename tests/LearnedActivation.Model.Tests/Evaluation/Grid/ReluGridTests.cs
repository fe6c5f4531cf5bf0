using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Evaluation;
using LearnedActivation.Model.Evaluation.Grid;
using LearnedActivation.Model.Networks;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Tests.Evaluation.Grid;

public sealed class ReluGridTests
{
    [Fact]
    public void AOneLayerReluNetworkBendsWhereItsUnitsCrossZero()
    {
        // Unit j of 1 -> h -> 1 is relu(w_j x + b_j): it bends at -b_j / w_j.
        using var network = new ActivationNetwork([16], BaseActivation.Relu, new Generator(1, CPU));
        using var scope = NewDisposeScope();
        var w = network.Layers[0].weight!.data<float>().ToArray();
        var b = network.Layers[0].bias!.data<float>().ToArray();
        var expected = w.Zip(b, (wj, bj) => -(double)bj / wj).Where(x => x is > -5 and < 5).Order().ToArray();
        Assert.NotEmpty(expected);

        var bends = Bends(network, -5, 5);

        Assert.Equal(expected, bends, new Tolerance(1e-9));
    }

    [Fact]
    public void ADeepNetworkIsAStraightLineBetweenConsecutiveBends()
    {
        using var network = new ActivationNetwork([32, 16, 8], BaseActivation.Relu, new Generator(2, CPU));
        using var scope = NewDisposeScope();

        var bends = Bends(network, -6, 6);

        Assert.True(bends.Length > 32, $"only {bends.Length} bends: deeper layers should add their own");
        for (var i = 0; i + 1 < bends.Length; i++)
        {
            var (a, b) = (bends[i], bends[i + 1]);
            var middle = (a + b) / 2;
            var line = Value(network, a + ((b - a) * 0.1)) + ((Value(network, a + ((b - a) * 0.9)) - Value(network, a + ((b - a) * 0.1))) * 0.5);
            Assert.Equal(line, Value(network, middle), 1e-5);
        }
    }

    private static double Value(ActivationNetwork network, double x)
    {
        using var noGrad = no_grad();
        return ExactActivationEvaluator.Instance.Evaluate(network, tensor(new[] { (float)x }).reshape(1, 1)).item<float>();
    }

    private static double[] Bends(ActivationNetwork network, double low, double high) => ReluBreakpoints.Find(
        [.. network.Layers.Select(l => l.weight!.data<float>().ToArray())],
        [.. network.Layers.Select(l => l.bias!.data<float>().ToArray())],
        low,
        high,
        minGap: 1e-9);

    private sealed class Tolerance(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
