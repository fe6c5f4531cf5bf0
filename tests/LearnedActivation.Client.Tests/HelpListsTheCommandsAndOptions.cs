using LearnedActivation.Client.Cli;
using LearnedActivation.Client.Tests.Support;

namespace LearnedActivation.Client.Tests;

/// <summary>--help is how a user discovers the CLI: it must succeed and show every option of train.</summary>
public sealed class HelpListsTheCommandsAndOptions
{
    public static TheoryData<string> TrainOptions => ["--base", "--outer", "--act", "--arm", "--max-epochs", "--patience", "--activation-curvature", "--seed", "--threads", "--data", "--target", "--out", "--json"];

    [Fact]
    public async Task AppHelpExitsZeroAndListsTrain()
    {
        var result = await InProcessCli.RunAsync("--help");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Contains("learnact", result.Output, StringComparison.Ordinal);
        Assert.Contains(result.Lines, l => l.TrimStart().StartsWith("train ", StringComparison.Ordinal));
        Assert.DoesNotContain("error", result.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task TrainHelpExitsZeroAndListsEveryOption()
    {
        var result = await InProcessCli.RunAsync("train", "--help");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.DoesNotContain("error", result.Output, StringComparison.OrdinalIgnoreCase);
        foreach (var option in TrainOptions)
        {
            Assert.Contains(result.Lines, l => l.TrimStart().StartsWith(option, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task TrainHelpShowsTheAcceptedValuesAndLayerSizes()
    {
        var result = await InProcessCli.RunAsync("train", "--help");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Contains("tanh|relu|gelu", result.Output, StringComparison.Ordinal);

        // The sizes are written in brackets, which Spectre markup would swallow (or crash on) if not escaped.
        Assert.Contains("small [48,24] | medium [48,24,16] | large [96,48,32]", result.Output, StringComparison.Ordinal);
        Assert.Contains("small [16,8] | medium [32,16] | large [32,16,8]", result.Output, StringComparison.Ordinal);
    }
}
