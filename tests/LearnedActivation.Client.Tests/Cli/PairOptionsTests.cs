using LearnedActivation.Client.Cli;

namespace LearnedActivation.Client.Tests.Cli;

public sealed class PairOptionsTests
{
    [Fact]
    public void TwoNumbersAfterRangeBecomeOneValueNegativeOnesIncluded() =>
        Assert.Equal(["analyze", "run", "--range=-3,2.5", "--json"], PairOptions.Join(["analyze", "run", "--range", "-3", "2.5", "--json"]));

    [Fact]
    public void TheCommaFormAndOtherArgumentsAreLeftAlone()
    {
        string[] args = ["analyze", "run", "--range=-3,3", "--base", "relu"];

        Assert.Equal(args, PairOptions.Join(args));
    }

    [Fact]
    public void ARangeWithoutTwoNumbersIsLeftForTheParserToReject() =>
        Assert.Equal(["analyze", "run", "--range", "-3"], PairOptions.Join(["analyze", "run", "--range", "-3"]));
}
