using System.Text.Json;
using System.Text.Json.Nodes;
using LearnedActivation.Client.Cli;
using LearnedActivation.Client.Tests.Support;

namespace LearnedActivation.Client.Tests;

/// <summary>
/// End to end: <c>learnact analyze</c> on what <c>learnact train</c> wrote, as processes. On the run folder it gives
/// exactly the analysis metrics.json holds; on a bare weight file it needs --base and --range; bad input is one line, exit 2.
/// </summary>
public sealed class AnalyzeProcessMeasuresASavedRun(CovertypeSampleFixture sample) : IClassFixture<CovertypeSampleFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AnalyzeOfARunFolderReproducesTheAnalysisInItsMetrics()
    {
        var work = sample.NewFolder("analyze");
        var run = Path.Combine(work, "run");
        var train = await LearnactProcess.RunAsync(work, Timeout, "train", "--base", "relu", "--epochs", "2", "--data", sample.DataFile, "--target", CovertypeSample.Target, "--out", run);
        Assert.True(train.ExitCode == ExitCodes.Ok, train.ToString());

        var json = await LearnactProcess.RunAsync(work, Timeout, "analyze", run, "--json");
        var table = await LearnactProcess.RunAsync(work, Timeout, "analyze", run);

        Assert.True(json.ExitCode == ExitCodes.Ok, json.ToString());
        var recorded = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "metrics.json")))!["analysis"];
        Assert.True(JsonNode.DeepEquals(recorded, JsonNode.Parse(json.StandardOutput)), $"analyze printed {json.StandardOutput}, metrics.json holds {recorded}");
        Assert.True(table.ExitCode == ExitCodes.Ok, table.ToString());
        Assert.Contains("nearest", table.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("base distance", table.StandardOutput, StringComparison.Ordinal);

        // A bare copy of the weights: the widths come from the file, the base and the range from the command line.
        var bare = Path.Combine(work, "bare");
        Directory.CreateDirectory(bare);
        var safetensors = Path.Combine(bare, "activation.safetensors");
        File.Copy(Path.Combine(run, "activation.safetensors"), safetensors);

        var withoutRange = await LearnactProcess.RunAsync(work, Timeout, "analyze", safetensors, "--base", "relu");
        var withRange = await LearnactProcess.RunAsync(work, Timeout, "analyze", safetensors, "--base", "relu", "--range", "-2", "3", "--json");

        Assert.Contains("--range", ErrorOutput.AssertBadInput(withoutRange.ExitCode, withoutRange.Lines, withoutRange.ToString()), StringComparison.Ordinal);
        Assert.True(withRange.ExitCode == ExitCodes.Ok, withRange.ToString());
        using var analysis = JsonDocument.Parse(withRange.StandardOutput);
        Assert.Equal((-2.0, 3.0), (analysis.RootElement.GetProperty("min").GetDouble(), analysis.RootElement.GetProperty("max").GetDouble()));
    }

    [Theory]
    [InlineData("missing-folder")]
    [InlineData("data.csv")]
    public async Task WhatIsNoActivationIsOneErrorLineAndExitCodeTwo(string name)
    {
        var work = sample.NewFolder("analyze-bad-" + name);
        File.WriteAllText(Path.Combine(work, "data.csv"), "a,b\n1,2\n");

        var result = await LearnactProcess.RunAsync(work, Timeout, "analyze", Path.Combine(work, name));

        var line = ErrorOutput.AssertBadInput(result.ExitCode, result.Lines, result.ToString());
        Assert.Contains(name, line, StringComparison.Ordinal);
    }
}
