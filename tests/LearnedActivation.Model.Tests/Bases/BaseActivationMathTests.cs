using LearnedActivation.Model.Bases;
using LearnedActivation.Model.Configuration;

namespace LearnedActivation.Model.Tests.Bases;

public class BaseActivationMathTests
{
    // Reference values: CPython's math.erf (correctly rounded to within an ulp or so), and the brief's.
    [Theory]
    [InlineData(1e-9, 1.1283791670955127e-09)]
    [InlineData(0.01, 0.011283415555849616)]
    [InlineData(0.2, 0.22270258921047847)]
    [InlineData(0.46875, 0.49261347321793797)]
    [InlineData(0.47, 0.4937450508860821)]
    [InlineData(0.5, 0.5204998778130465)]
    [InlineData(0.75, 0.7111556336535151)]
    [InlineData(1.0, 0.8427007929497149)]
    [InlineData(1.3, 0.9340079449406524)]
    [InlineData(2.0, 0.9953222650189527)]
    [InlineData(3.3, 0.9999969422902035)]
    [InlineData(4.0, 0.9999999845827421)]
    [InlineData(4.01, 0.9999999858030606)]
    [InlineData(5.5, 0.9999999999999927)]
    public void ErfMatchesKnownValuesInEveryInterval(double x, double expected)
    {
        // The project needs 1e-7; Cody's approximation is good to rounding error, so check far tighter.
        Assert.Equal(expected, BaseActivationMath.Erf(x), 1e-14);
    }

    [Fact]
    public void ErfIsOddZeroAtZeroAndSaturates()
    {
        for (var x = -6.0; x <= 6.0; x += 0.0625)
        {
            Assert.Equal(-BaseActivationMath.Erf(x), BaseActivationMath.Erf(-x));
        }

        Assert.Equal(0.0, BaseActivationMath.Erf(0.0));
        Assert.Equal(1.0, BaseActivationMath.Erf(30.0));
        Assert.Equal(-1.0, BaseActivationMath.Erf(double.NegativeInfinity));
        Assert.True(double.IsNaN(BaseActivationMath.Erf(double.NaN)));
    }

    [Fact]
    public void ErfIsMonotoneAcrossIntervalBoundaries()
    {
        var previous = BaseActivationMath.Erf(0.4);
        for (var x = 0.4; x <= 4.2; x += 0.001)
        {
            var value = BaseActivationMath.Erf(x);
            Assert.True(value >= previous, $"erf not monotone at {x}");
            previous = value;
        }
    }

    [Theory]
    [InlineData(1.0, 0.8413447460685429)]
    [InlineData(-1.0, -0.15865525393145707)]
    [InlineData(2.5, 2.4844758366855597)]
    [InlineData(0.0, 0.0)]
    public void GeluIsExactXTimesNormalCdf(double x, double expected)
    {
        Assert.Equal(expected, BaseActivations.Of(BaseActivation.Gelu).Evaluate(x), 1e-14);
    }

    [Fact]
    public void TanhAndReluAreTheUsualFunctions()
    {
        Assert.Equal(Math.Tanh(0.7), BaseActivations.Of(BaseActivation.Tanh).Evaluate(0.7));
        Assert.Equal(0.0, BaseActivations.Of(BaseActivation.Relu).Evaluate(-2.0));
        Assert.Equal(3.5, BaseActivations.Of(BaseActivation.Relu).Evaluate(3.5));
    }
}
