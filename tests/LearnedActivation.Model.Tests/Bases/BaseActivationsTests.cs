using LearnedActivation.Model.Bases;
using LearnedActivation.Model.Configuration;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Tests.Bases;

/// <summary>The registry of base activations: every name has exactly its definition, and forms agree with each other.</summary>
public sealed class BaseActivationsTests
{
    public static TheoryData<BaseActivation> Every() => [.. Enum.GetValues<BaseActivation>()];

    [Theory]
    [MemberData(nameof(Every))]
    public void EveryNameIsRegisteredWithItsOwnDefinition(BaseActivation activation)
    {
        Assert.Equal(activation, BaseActivations.Of(activation).Id);
    }

    [Fact]
    public void AnUnregisteredValueIsRejectedRatherThanComputedAsSomeOtherBase()
    {
        var unknown = (BaseActivation)Enum.GetValues<BaseActivation>().Length;

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => BaseActivations.Of(unknown));
        Assert.Contains("unknown base activation", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Every))]
    public void TheTensorFormIsTheScalarForm(BaseActivation activation)
    {
        var definition = BaseActivations.Of(activation);
        double[] x = [.. Enumerable.Range(-80, 161).Select(i => i / 10.0)];
        using var input = tensor(x, ScalarType.Float64);
        using var output = definition.Apply(input);

        var values = output.data<double>().ToArray();
        for (var i = 0; i < x.Length; i++)
        {
            Assert.Equal(definition.Evaluate(x[i]), values[i], 1e-12);
        }
    }

    [Fact]
    public void OnlyReluTakesTheReluOnlyPaths()
    {
        Assert.Equal([BaseActivation.Relu], Enum.GetValues<BaseActivation>().Where(b => BaseActivations.Of(b).ReluShaped));
    }

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(1.0, 0.7310585786300049)]
    [InlineData(-1.0, -0.2689414213699951)]
    [InlineData(4.0, 3.928055160151634)]
    [InlineData(-30.0, -2.8072868906517896e-12)]
    public void SiluIsXTimesTheLogisticSigmoid(double x, double expected)
    {
        Assert.Equal(expected, BaseActivations.Of(BaseActivation.Silu).Evaluate(x), 1e-15);
    }

    [Fact]
    public void TheDefaultStudyKeepsItsThreeBasesWhateverIsRegistered()
    {
        Assert.Equal([BaseActivation.Tanh, BaseActivation.Relu, BaseActivation.Gelu], StudyPresets.Bases);
    }

    [Fact]
    public void EveryRegisteredBaseIsAcceptedByName()
    {
        Assert.Equal(BaseActivation.Silu, Names.ParseBase("silu"));
        Assert.Equal("tanh|relu|gelu|silu", Names.Accepted<BaseActivation>());
    }
}
