using LearnedActivation.Client.Views;
using LearnedActivation.Grains.Contracts;
using Spectre.Console.Testing;

namespace LearnedActivation.Client.Tests.Views;

/// <summary>What <c>learnact status</c> prints for a sweep's runs.</summary>
public sealed class StatusViewTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void EachRunShowsHowManyAttemptsItHasUsed()
    {
        // A poison run ends Failed after Scheduling:MaxAttempts executions; the table must say so, not only --json.
        RunStatus[] runs =
        [
            new("s", "tanh_small_small", RunPhase.Completed, 3, 3, null, 0.8, new TestMetrics(0.81, 0.9), "silo-a", null, null, null, Now, Attempts: 1),
            new("s", "relu_small_small", RunPhase.Failed, 1, 3, null, null, null, "silo-b", null, null, "killed", Now, Attempts: 3),
        ];
        var status = new SweepStatus("s", SweepPhase.Running, null, runs, SweepTotals.Of(runs), [], [], null, null, null);

        var console = new TestConsole().Width(200);
        console.Write(StatusView.Render(status, Now));
        var lines = console.Output.Split('\n');

        var header = lines.Single(l => l.Contains("attempts", StringComparison.Ordinal));
        var column = header.IndexOf("attempts", StringComparison.Ordinal) + "attempts".Length - 1;
        Assert.Equal('1', lines.Single(l => l.Contains("tanh_small_small", StringComparison.Ordinal))[column]);
        Assert.Equal('3', lines.Single(l => l.Contains("relu_small_small", StringComparison.Ordinal))[column]);
    }
}
