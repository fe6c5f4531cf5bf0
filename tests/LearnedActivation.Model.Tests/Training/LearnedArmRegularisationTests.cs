using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Networks;
using LearnedActivation.Model.Tests.Networks;
using LearnedActivation.Model.Tests.Support;
using LearnedActivation.Model.Training;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Tests.Training;

public sealed class LearnedArmRegularisationTests
{
    private static readonly LearnedActivation.Model.Data.DataSplits Data = SyntheticTables.Splits();
    private static readonly float[] Start = [1f, 2f, 3f];
    private static readonly float[] Moved = [2f, 2f, 0f];
    private static readonly float[] Fixed = [-0.5f, 4f];

    [Fact]
    public void AnchoredDecayWithZeroGradientMovesTheWeightsTowardTheirStartByLrTimesStrength()
    {
        using var scope = NewDisposeScope();
        var weights = nn.Parameter(tensor(Start));
        using var decay = new AnchoredDecay([weights], learningRate: 0.01, strength: 5);
        using var adam = new AdamOptimizer([weights], 0.01);
        using (no_grad())
        {
            weights.copy_(tensor(Moved));
        }

        // A zero gradient: Adam's own update is 0 / (0 + eps) = 0, so only the decay moves the weights.
        (weights * 0).sum().backward();
        decay.Step();
        adam.Step();

        // By hand: p0 + (p - p0)(1 - 0.01 x 5) = 1 + 1 x 0.95, 2 + 0, 3 - 3 x 0.95.
        var actual = weights.data<float>().ToArray();
        Assert.Equal(1.95f, actual[0], 6);
        Assert.Equal(2f, actual[1], 6);
        Assert.Equal(0.15f, actual[2], 6);
        Assert.Equal(0.05, decay.Fraction, 12);
    }

    [Fact]
    public void AnchoredDecayLeavesWeightsAtTheirStartWhereTheyAre()
    {
        using var scope = NewDisposeScope();
        var weights = nn.Parameter(tensor(Fixed));
        using var decay = new AnchoredDecay([weights], learningRate: 0.1, strength: 3);
        decay.Step();
        decay.Step();
        Assert.Equal(Fixed, weights.data<float>().ToArray());
    }

    [Fact]
    public void AnchoredDecayRejectsAStepThatOvershootsTheAnchor()
    {
        using var scope = NewDisposeScope();
        var weights = nn.Parameter(ones(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AnchoredDecay([weights], learningRate: 0.5, strength: 2));
    }

    [Fact]
    public void SlopePenaltyOfAnAffineFunctionIsStrengthTimesItsSlopeSquared()
    {
        using var network = new ActivationNetwork([], BaseActivation.Tanh);
        SetAffine(network, slope: 1.5f, intercept: -0.25f);
        using var scope = NewDisposeScope();

        Assert.Equal(0.1 * 1.5 * 1.5, new ShapePenalty(network, ShapePenaltyKind.Slope, 0.1).Compute().item<float>(), 5);
        Assert.Equal(0, new ShapePenalty(network, ShapePenaltyKind.Curvature, 0.1).Compute().item<float>(), 4);
    }

    [Theory]
    [InlineData(ShapePenaltyKind.Slope, -ShapePenalty.HalfRange, ShapePenalty.HalfRange)]
    [InlineData(ShapePenaltyKind.Curvature, -ShapePenalty.HalfRange, ShapePenalty.HalfRange)]
    [InlineData(ShapePenaltyKind.Slope, -1.0, 5.0)]
    [InlineData(ShapePenaltyKind.Curvature, -7.5, 2.0)]
    public void PenaltyIsTheMeanSquaredFiniteDifferenceOverTheKnots(ShapePenaltyKind kind, double low, double high)
    {
        using var network = new ActivationNetwork([8, 4], BaseActivation.Tanh, new Generator(4, CPU));
        using var scope = NewDisposeScope();
        const double strength = 0.3;

        // By hand, in doubles, from the reference evaluation of the same weights.
        var h = (high - low) / (ShapePenalty.Knots - 1);
        var f = Enumerable.Range(0, ShapePenalty.Knots).Select(i => ReferenceActivation.Evaluate(network, (float)(low + (i * h)))).ToArray();
        var slopes = f.Zip(f.Skip(1), (a, b) => (b - a) / h).ToArray();
        var measure = kind == ShapePenaltyKind.Slope ? slopes : slopes.Zip(slopes.Skip(1), (a, b) => (b - a) / h).ToArray();
        var expected = strength * measure.Average(m => m * m);

        var actual = new ShapePenalty(network, kind, strength).Compute(low, high).item<float>();

        Assert.True(Math.Abs(expected - actual) <= 1e-3 * Math.Max(1, expected), $"{kind}: {actual} vs {expected} by hand");
    }

    [Fact]
    public void PenaltyOverTheFixedRangeIsThePenaltyOverPlusMinusHalfRange()
    {
        using var network = new ActivationNetwork([8], BaseActivation.Tanh, new Generator(3, CPU));
        using var scope = NewDisposeScope();
        var penalty = new ShapePenalty(network, ShapePenaltyKind.Curvature, 1);
        Assert.Equal(penalty.Compute(-ShapePenalty.HalfRange, ShapePenalty.HalfRange).item<float>(), penalty.Compute().item<float>());
        Assert.Throws<ArgumentException>(() => penalty.Compute(1, 1));
    }

    [Fact]
    public void PenaltyPassesGradientsToTheActivationNetwork()
    {
        using var network = new ActivationNetwork([8], BaseActivation.Tanh, new Generator(2, CPU));
        using var scope = NewDisposeScope();
        new ShapePenalty(network, ShapePenaltyKind.Curvature, 1).Compute().backward();

        // Every weight shapes the function; the output bias only shifts it, which neither slope nor curvature sees.
        var layers = network.Layers;
        Assert.All(layers.Select(l => l.weight!).Append(layers[0].bias!), p => Assert.True(p.grad!.abs().sum().item<float>() > 0));
        Assert.Equal(0f, layers[^1].bias!.grad!.abs().sum().item<float>());
    }

    [Fact]
    public void ResidualNetworkComputesXPlusTheLayers()
    {
        using var network = new ActivationNetwork([16, 8], BaseActivation.Tanh, new Generator(6, CPU));
        using var scope = NewDisposeScope();
        float[] inputs = [-3f, -0.2f, 0f, 0.7f, 2.5f];
        var plain = network.forward(tensor(inputs)).data<float>().ToArray();

        network.Residual = true;
        var residual = network.forward(tensor(inputs)).data<float>().ToArray();

        for (var i = 0; i < inputs.Length; i++)
        {
            Assert.Equal(inputs[i] + plain[i], residual[i], 5);
        }
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(2.5, 0.25)]
    [InlineData(ShapePenalty.RampEpochs, 1)]
    [InlineData(100, 1)]
    public void PenaltyStrengthRampsUpLinearlyOverTheFirstEpochs(double epochsDone, double fraction)
    {
        Assert.Equal(fraction, ShapePenalty.Ramp(epochsDone), 12);
    }

    [Fact]
    public void CurvatureIsPartOfTheLearnedArmsSpecHashOnly()
    {
        var spec = SyntheticTables.Spec();
        Assert.Equal(StudyArm.Learned, spec.Model.Arm);
        Assert.NotEqual((spec with { Train = spec.Train with { ActivationCurvature = 0 } }).Hash(), (spec with { Train = spec.Train with { ActivationCurvature = 0.01 } }).Hash());
        foreach (var arm in new[] { StudyArm.Fixed, StudyArm.Warm, StudyArm.FixedWide })
        {
            var other = spec with { Model = spec.Model with { Arm = arm } };
            Assert.Equal((other with { Train = other.Train with { ActivationCurvature = 0 } }).Hash(), (other with { Train = other.Train with { ActivationCurvature = 0.01 } }).Hash());
        }

        Assert.NotEqual(
            (spec with { Train = spec.Train with { ActivationCurvature = 0.01 } }).Hash(),
            (spec with { Train = spec.Train with { ActivationCurvature = 0.02 } }).Hash());
        Assert.Throws<ArgumentException>(() => (spec.Train with { ActivationCurvature = -1 }).Validate());
    }

    [Fact]
    public void CurvaturePenaltyChangesTheLearnedArmsTrainingAndStraightensItsFunction()
    {
        var spec = SyntheticTables.Spec(epochs: 2);
        var plain = spec with { Train = spec.Train with { ActivationCurvature = 0 } };
        // Strength 20: in the first epoch the ramp lets through at most a tenth of it.
        var penalised = plain with { Train = plain.Train with { ActivationCurvature = 20 } };
        using var without = TrainingSession.Create(plain, Data);
        using var with = TrainingSession.Create(penalised, Data);
        Assert.Equal(SyntheticTables.ParameterBytes(without.Model), SyntheticTables.ParameterBytes(with.Model));

        without.RunEpoch();
        with.RunEpoch();

        // The same start and data order; only the penalty differs, and it leaves the function less curved.
        Assert.NotEqual(SyntheticTables.ParameterBytes(without.Model), SyntheticTables.ParameterBytes(with.Model));
        using var scope = NewDisposeScope();
        var curvature = (ActivationNetwork network) => new ShapePenalty(network, ShapePenaltyKind.Curvature, 1).Compute().item<float>();
        Assert.True(curvature(with.Model.Activation) < curvature(without.Model.Activation) / 2, $"{curvature(with.Model.Activation)} vs {curvature(without.Model.Activation)} without the penalty");
    }

    [Theory]
    [InlineData(StudyArm.Fixed)]
    [InlineData(StudyArm.Warm)]
    public void CurvaturePenaltyLeavesTheOtherArmsAlone(StudyArm arm)
    {
        var spec = SyntheticTables.Spec(epochs: 1, arm: arm);
        var plain = spec with { Train = spec.Train with { ActivationCurvature = 0 } };
        using var without = TrainingSession.Create(plain, Data);
        using var with = TrainingSession.Create(plain with { Train = plain.Train with { ActivationCurvature = 1 } }, Data);
        without.RunEpoch();
        with.RunEpoch();
        Assert.Equal(SyntheticTables.ParameterBytes(without.Model), SyntheticTables.ParameterBytes(with.Model));
    }

    private static void SetAffine(ActivationNetwork network, float slope, float intercept)
    {
        using var noGrad = no_grad();
        network.Layers[0].weight!.fill_(slope);
        network.Layers[0].bias!.fill_(intercept);
    }
}
