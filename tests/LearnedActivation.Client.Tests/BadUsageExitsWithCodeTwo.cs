using LearnedActivation.Client.Tests.Support;

namespace LearnedActivation.Client.Tests;

/// <summary>
/// Mistakes on the command line are refused before any work (no download, no training) with exit code 2 and
/// one line that names the offending option, so scripts can tell "you called me wrong" from "the run failed".
/// </summary>
public sealed class BadUsageExitsWithCodeTwo
{
    [Fact]
    public async Task UnknownOptionIsRejectedNamingIt()
    {
        var line = ErrorOutput.AssertBadInput(await InProcessCli.RunAsync("train", "--bogus"));
        Assert.Contains("bogus", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("status")]
    [InlineData("results")]
    [InlineData("cancel")]
    [InlineData("dashboard")]
    public async Task ASweepIdThatIsAPathIsRejectedBeforeTouchingTheStore(string command)
    {
        var line = ErrorOutput.AssertBadInput(await InProcessCli.RunAsync(command, ".."));
        Assert.Contains("SWEEP", line, StringComparison.Ordinal);
        Assert.Contains("'..'", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOutputFolderThatCannotBeCreatedIsRefusedBeforeTraining()
    {
        // Checked before the data is even looked at: the data file named here does not exist.
        var line = ErrorOutput.AssertBadInput(await InProcessCli.RunAsync("train", "--out", "/proc/learnact-cannot-create", "--data", "missing.csv", "--target", "t"));
        Assert.Contains("--out", line, StringComparison.Ordinal);
        Assert.Contains("/proc/learnact-cannot-create", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sweep", "--dashboard-port", "70000")]
    [InlineData("sweep", "--dashboard-port", "-1")]
    [InlineData("dashboard", "--port", "0")]
    [InlineData("dashboard", "--address", "not-an-ip")]
    public async Task ABadDashboardPortOrAddressIsRefusedNamingTheOption(string command, string option, string value)
    {
        var line = ErrorOutput.AssertBadInput(await InProcessCli.RunAsync(command, option, value));
        Assert.Contains(option, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownCommandIsRejectedNamingIt()
    {
        var line = ErrorOutput.AssertBadInput(await InProcessCli.RunAsync("frobnicate"));
        Assert.Contains("frobnicate", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownBaseActivationNamesTheOptionAndTheAcceptedValues()
    {
        var line = ErrorOutput.AssertBadInput(await InProcessCli.RunAsync("train", "--base", "swish"));
        Assert.Contains("--base", line, StringComparison.Ordinal);
        Assert.Contains("swish", line, StringComparison.Ordinal);
        Assert.Contains("tanh|relu|gelu", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--outer")]
    [InlineData("--act")]
    public async Task UnknownSizeNamesTheOptionAndTheAcceptedValues(string option)
    {
        var line = ErrorOutput.AssertBadInput(await InProcessCli.RunAsync("train", option, "huge"));
        Assert.Contains(option, line, StringComparison.Ordinal);
        Assert.Contains("huge", line, StringComparison.Ordinal);
        Assert.Contains("small|medium|large", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("train")]
    [InlineData("sweep")]
    public async Task UnknownEvaluationModeNamesTheOptionAndTheAcceptedValues(string command)
    {
        var line = ErrorOutput.AssertBadInput(await InProcessCli.RunAsync(command, "--activation-eval", "fast"));
        Assert.Equal("error: --activation-eval: unknown mode 'fast' (expected exact|fused|grid)", line);
    }

    [Theory]
    [InlineData("--max-epochs", "0")]
    [InlineData("--max-epochs", "-3")]
    [InlineData("--threads", "0")]
    [InlineData("--patience", "0")]
    [InlineData("--patience", "-1")]
    [InlineData("--activation-curvature", "-0.5")]
    [InlineData("--batch-size", "0")]
    [InlineData("--learning-rate", "0")]
    [InlineData("--learning-rate", "-0.01")]
    [InlineData("--lr-warmup", "-1")]
    [InlineData("--rollback-above", "0.5")]
    [InlineData("--activation-lr-scale", "0")]
    public async Task NonPositiveCountIsRejectedNamingTheOption(string option, string value)
    {
        var line = ErrorOutput.AssertBadInput(await InProcessCli.RunAsync("train", option, value));
        Assert.Contains(option, line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("train")]
    [InlineData("sweep")]
    public async Task TheOlderNameEpochsIsTheCapUnderItsNewName(string command)
    {
        var line = ErrorOutput.AssertBadInput(await InProcessCli.RunAsync(command, "--epochs", "0"));
        Assert.Equal("error: --max-epochs: must be a positive number (got 0)", line);
    }

    [Fact]
    public async Task UnknownArmNamesTheOptionAndTheAcceptedValues()
    {
        var line = ErrorOutput.AssertBadInput(await InProcessCli.RunAsync("train", "--arm", "baseline"));
        Assert.Equal("error: --arm: unknown arm 'baseline' (expected learned|warm|fixed|fixed-wide|frozen|finetuned|random-frozen)", line);
    }

    [Fact]
    public async Task TheSourceArmsBelongToTransfer()
    {
        var line = ErrorOutput.AssertBadInput(await InProcessCli.RunAsync("train", "--arm", "frozen"));
        Assert.Equal("error: --arm: 'frozen' starts from a source run's activation: it is an arm of transfer sweeps (learnact transfer SWEEP --data FILE --target COLUMN)", line);
    }

    [Theory]
    [InlineData("error: --data and --target: required (the target data set and its binary target column)", "transfer", "study")]
    [InlineData("error: --data and --target: required (the target data set and its binary target column)", "transfer", "study", "--data", "x.csv")]
    [InlineData("error: --seeds: must be a positive number (got 0)", "transfer", "study", "--data", "x.csv", "--target", "y", "--seeds", "0")]
    public async Task TransferNamesWhatIsMissing(string expected, params string[] args)
    {
        Assert.Equal(expected, ErrorOutput.AssertBadInput(await InProcessCli.RunAsync(args)));
    }

    [Theory]
    [InlineData("train", "--max-epochs", "many")]
    [InlineData("train", "--patience", "few")]
    [InlineData("sweep", "--patience", "2.5")]
    [InlineData("train", "--seed", "abc")]
    [InlineData("train", "--threads", "1.5")]
    [InlineData("sweep", "--max-epochs", "ten")]
    [InlineData("sweep", "--slots", "x")]
    [InlineData("train", "--batch-size", "2.5")]
    public async Task ANonNumericValueIsRejectedNamingTheOptionAndTheValue(string command, string option, string value)
    {
        var line = ErrorOutput.AssertBadInput(await InProcessCli.RunAsync(command, option, value));
        Assert.Equal($"error: {option}: '{value}' is not a whole number", line);
    }

    [Theory]
    [InlineData("--learning-rate", "fast")]
    [InlineData("--learning-rate", "0,001")]
    [InlineData("--lr-warmup", "one")]
    [InlineData("--rollback-above", "NaN")]
    [InlineData("--activation-lr-scale", "x")]
    [InlineData("--activation-curvature", "abc")]
    public async Task ANonNumberIsRejectedNamingTheOptionAndTheValue(string option, string value)
    {
        var line = ErrorOutput.AssertBadInput(await InProcessCli.RunAsync("train", option, value));
        Assert.Equal($"error: {option}: '{value}' is not a number", line);
    }

    [Fact]
    public async Task ANumberTooLargeForTheOptionIsRejectedNamingIt()
    {
        var line = ErrorOutput.AssertBadInput(await InProcessCli.RunAsync("train", "--max-epochs", "99999999999"));
        Assert.StartsWith("error: --max-epochs: '99999999999' is out of range", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheEqualsFormOfAnOptionIsNamedToo()
    {
        var line = ErrorOutput.AssertBadInput(await InProcessCli.RunAsync("train", "--seed=abc"));
        Assert.Equal("error: --seed: 'abc' is not a whole number", line);
    }

    [Fact]
    public async Task DataWithoutTargetIsRejectedNamingTarget()
    {
        var line = ErrorOutput.AssertBadInput(await InProcessCli.RunAsync("train", "--data", "whatever.csv"));
        Assert.Contains("--target", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TargetWithoutDataIsRejectedNamingData()
    {
        var line = ErrorOutput.AssertBadInput(await InProcessCli.RunAsync("train", "--target", "y"));
        Assert.Contains("--data", line, StringComparison.Ordinal);
    }
}
