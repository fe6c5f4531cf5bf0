using LearnedActivation.Model.Bases;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Networks;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Tests.Networks;

/// <summary>The from-scratch start: a unit-scale random function, the same for one seed, that is not its base function.</summary>
public sealed class ActivationInitTests
{
    public static TheoryData<BaseActivation, SizePreset> Cases()
    {
        var data = new TheoryData<BaseActivation, SizePreset>();
        foreach (var b in StudyPresets.Bases)
        {
            foreach (var size in Enum.GetValues<SizePreset>())
            {
                data.Add(b, size);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TheStartingFunctionHasZeroMeanAndUnitSpreadOverThePreActivations(BaseActivation baseActivation, SizePreset size)
    {
        for (var seed = 0; seed < 5; seed++)
        {
            using var network = Fresh(baseActivation, size, seed);
            var (mean, std) = ActivationInit.OutputMoments(network);
            Assert.Equal(0, mean, 1e-4);
            Assert.Equal(1, std, 1e-4);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TheStartingFunctionImitatesNoBaseFunction(BaseActivation baseActivation, SizePreset size)
    {
        using var network = Fresh(baseActivation, size, seed: 0);
        using var noGrad = no_grad();
        var x = ActivationInit.ReferenceInputs();
        var y = network.forward(x).to_type(ScalarType.Float64);
        foreach (var known in StudyPresets.Bases)
        {
            // Even after the best affine map a*base(x)+b the function is not that base: the residual stays visible.
            var b = BaseActivations.Of(known).Apply(x).to_type(ScalarType.Float64);
            var bc = b - b.mean();
            var yc = y - y.mean();
            var a = (yc * bc).sum() / (bc * bc).sum().clamp_min(1e-12);
            var residual = (yc - (a * bc)).pow(2).mean().item<double>();
            Assert.True(residual > 1e-4, $"{Names.Of(known)}: residual {residual}");
        }
    }

    [Fact]
    public void OneSeedGivesOneFunctionAndAnotherSeedAnother()
    {
        using var a = Fresh(BaseActivation.Gelu, SizePreset.Large, seed: 3);
        using var b = Fresh(BaseActivation.Gelu, SizePreset.Large, seed: 3);
        using var c = Fresh(BaseActivation.Gelu, SizePreset.Large, seed: 4);
        var x = ActivationInit.ReferenceInputs();
        using var noGrad = no_grad();
        Assert.True(a.forward(x).equal(b.forward(x)).all().item<bool>());
        Assert.False(a.forward(x).equal(c.forward(x)).all().item<bool>());
    }

    private static ActivationNetwork Fresh(BaseActivation baseActivation, SizePreset size, int seed)
    {
        var network = new ActivationNetwork(StudyPresets.ActivationHidden(size), baseActivation);
        ActivationInit.FromScratch(network, new Generator((ulong)seed, CPU));
        return network;
    }
}
