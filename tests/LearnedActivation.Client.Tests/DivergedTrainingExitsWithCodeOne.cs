using LearnedActivation.Client.Cli;
using LearnedActivation.Model.Training;
using Spectre.Console.Cli;
using Spectre.Console.Testing;

namespace LearnedActivation.Client.Tests;

/// <summary>
/// A diverged run is a failure of the work, not of the call: exit code 1 and the session's one line, without the
/// exception's type name. No option of <c>learnact train</c> makes training diverge on purpose (the learning rate
/// is not one), so a command that throws what a diverged <see cref="TrainingSession"/> throws stands in for it,
/// through the same command tree and exception handler.
/// </summary>
public sealed class DivergedTrainingExitsWithCodeOne
{
    [Fact]
    public async Task TheErrorIsTheSessionsOneLineAndTheExitCodeIsOne()
    {
        using var console = new TestConsole().Width(1000);
        var app = LearnactApp.Create(console);
        app.Configure(config => config.AddCommand<DivergingCommand>("diverge"));

        var exitCode = await app.RunAsync(["diverge"]);

        Assert.Equal(ExitCodes.Failure, exitCode);
        Assert.Equal("error: training diverged: the train loss became NaN in epoch 7 (try a lower learning rate)", console.Output.Trim());
    }

    private sealed class DivergingCommand : Command
    {
        public override int Execute(CommandContext context, CancellationToken cancellationToken) =>
            throw new TrainingDivergedException(7, "train", double.NaN);
    }
}
