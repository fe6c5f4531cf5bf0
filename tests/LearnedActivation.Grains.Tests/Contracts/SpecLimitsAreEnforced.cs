using System.Diagnostics;
using System.Globalization;
using LearnedActivation.Grains.Contracts;

namespace LearnedActivation.Grains.Tests.Contracts;

/// <summary>
/// Specs are bounded before they cost anything: size, runs, threads; and sweep ids are names the store can hold
/// (no control characters, no name the store uses itself).
/// </summary>
public sealed class SpecLimitsAreEnforced
{
    [Fact]
    public void AHundredThousandSeedsAreRefusedAtOnce()
    {
        var seeds = string.Join(',', Enumerable.Range(0, 100_000));
        var clock = Stopwatch.StartNew();

        var error = Assert.Throws<SweepSpecException>(() => SweepSpecJson.Parse($$"""{"seeds": [{{seeds}}]}""", "sweep.json"));

        Assert.Equal("sweep.json: seeds: 100000 values, more than the limit of 10000 runs in a sweep", error.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public void AxesWhoseProductExceedsTheRunLimitAreRefused()
    {
        var seeds = string.Join(',', Enumerable.Range(0, 1_200));

        var error = Assert.Throws<SweepSpecException>(() => SweepSpecJson.Parse($$"""{"seeds": [{{seeds}}], "arms": ["learned"]}""", "sweep.json"));

        // The study's 3 x 3 x 3 learned configurations times 1,200 seeds.
        Assert.StartsWith("sweep.json: axes: 32400 runs (bases x outerSizes x arms' activation sizes x seeds), more than the limit of 10000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFixedArmCountsOneRunPerBaseOuterSizeAndSeed()
    {
        var seeds = string.Join(',', Enumerable.Range(0, 300));

        var error = Assert.Throws<SweepSpecException>(() => SweepSpecJson.Parse($$"""{"seeds": [{{seeds}}], "arms": ["learned", "fixed"]}""", "sweep.json"));

        // 3 bases x 3 outer sizes x (3 learned activation sizes + 1 fixed) x 300 seeds, not x 3 activation sizes x 2 arms.
        Assert.StartsWith("sweep.json: axes: 10800 runs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASpecLargerThanTheLimitIsNotParsed()
    {
        var json = "{\"id\": \"x\"" + new string(' ', SweepSpecJson.MaxLength) + "}";

        var error = Assert.Throws<SweepSpecException>(() => SweepSpecJson.Parse(json, "sweep.json"));

        Assert.Equal($"sweep.json: larger than {SweepSpecJson.MaxLength} characters, the limit for a spec", error.Message);
    }

    [Fact]
    public void TorchThreadsAboveTheCoreCountAreRefused()
    {
        var error = Assert.Throws<SweepSpecException>(() => SweepSpecJson.Parse("""{"torchThreads": 100000}""", "sweep.json"));

        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"sweep.json: torchThreads: 100000 is more than the {Environment.ProcessorCount} cores of this machine"), error.Message);
    }

    [Theory]
    [InlineData("study\n", "id: 'study\\n' is not a valid sweep id")]
    [InlineData("a\u0000b", "id: 'a\\u0000b' is not a valid sweep id")]
    [InlineData(".hidden", "id: '.hidden' is not a valid sweep id")]
    [InlineData("logs", "id: 'logs' is reserved")]
    [InlineData("LOGS", "id: 'LOGS' is reserved")]
    public void IdsWithControlCharactersOrReservedNamesAreRefused(string id, string expected)
    {
        var error = SweepSpecValidator.FirstError(SweepSpec.Default(id));

        Assert.NotNull(error);
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
        Assert.False(RunKey.IsValidSweepId(id));
    }

    [Fact]
    public void ATrailingNewlineIsNoLongerAValidName() => Assert.False(RunKey.IsValidName("study\n"));
}
