using LearnedActivation.Client.Commands;
using LearnedActivation.Model.Data;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Spectre.Console.Cli;

namespace LearnedActivation.Client.Cli;

/// <summary>The "learnact" command tree, shared by Program.cs and the in-process CLI tests.</summary>
public static class LearnactApp
{
    public static Task<int> RunAsync(string[] args, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var app = Create(console);
        return app.RunAsync(args, cancellationToken);
    }

    public static CommandApp Create(IAnsiConsole console)
    {
        var services = new ServiceCollection();
        services.AddSingleton(console);
        var app = new CommandApp(new TypeRegistrar(services));
        app.Configure(config => Configure(config, console));
        return app;
    }

    public static void Configure(IConfigurator config, IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.SetApplicationName("learnact");
        config.UseStrictParsing();
        config.ConfigureConsole(console);
        config.SetExceptionHandler((ex, _) => HandleException(ex, console));
        config.AddCommand<TrainCommand>("train")
            .WithDescription("Train one configuration of the study and write its learned activation, plots and metrics.")
            .WithExample("train", "--base", "tanh", "--outer", "small", "--act", "small")
            .WithExample("train", "--base", "relu", "--outer", "large", "--act", "medium", "--data", "covertype.csv.gz", "--target", "target");
    }

    /// <summary>Maps failures to one line on stderr-style output and a meaningful exit code.</summary>
    private static int HandleException(Exception ex, IAnsiConsole console)
    {
        switch (ex)
        {
            case CommandAppException:
            case DataException:
            case UsageException:
                console.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
                return ExitCodes.BadInput;
            case OperationCanceledException:
                console.MarkupLine("[yellow]interrupted[/]");
                return ExitCodes.Interrupted;
            default:
                console.MarkupLineInterpolated($"[red]error:[/] {ex.GetType().Name}: {ex.Message}");
                return ExitCodes.Failure;
        }
    }
}
