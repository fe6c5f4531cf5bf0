using LearnedActivation.Client.Commands;
using LearnedActivation.Model.Data;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Spectre.Console.Cli;

namespace LearnedActivation.Client.Cli;

/// <summary>The "learnact" command tree, shared by Program.cs and the in-process CLI tests.</summary>
public static class LearnactApp
{
    /// <param name="args">Command-line arguments.</param>
    /// <param name="console">Where output goes.</param>
    /// <param name="cancellationToken">Ctrl+C.</param>
    /// <param name="errors">Where the one-line errors go (the process passes stderr); default: the console's own writer.</param>
    public static Task<int> RunAsync(string[] args, IAnsiConsole console, CancellationToken cancellationToken, TextWriter? errors = null)
    {
        var app = Create(console, errors);
        return app.RunAsync(args, cancellationToken);
    }

    public static CommandApp Create(IAnsiConsole console, TextWriter? errors = null)
    {
        ArgumentNullException.ThrowIfNull(console);
        var services = new ServiceCollection();
        services.AddSingleton(console);
        var app = new CommandApp(new TypeRegistrar(services));
        app.Configure(config => Configure(config, console, errors ?? console.Profile.Out.Writer));
        return app;
    }

    public static void Configure(IConfigurator config, IAnsiConsole console, TextWriter errors)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.SetApplicationName("learnact");
        config.UseStrictParsing();
        config.ConfigureConsole(console);
        config.SetExceptionHandler((ex, _) => HandleException(ex, errors));
        config.AddCommand<TrainCommand>("train")
            .WithDescription("Train one configuration of the study and write its learned activation, plots and metrics.")
            .WithExample("train", "--base", "tanh", "--outer", "small", "--act", "small")
            .WithExample("train", "--base", "relu", "--outer", "large", "--act", "medium", "--data", "covertype.csv.gz", "--target", "target");
    }

    /// <summary>
    /// Maps failures to ONE line and a meaningful exit code. Written raw (not as Spectre markup), so a
    /// long message is never folded at the terminal width and a path with brackets is printed as is.
    /// </summary>
    private static int HandleException(Exception ex, TextWriter errors)
    {
        var (code, line) = ex switch
        {
            CommandAppException or DataException or UsageException or Grains.Contracts.SweepSpecException => (ExitCodes.BadInput, "error: " + ex.Message),
            OperationCanceledException => (ExitCodes.Interrupted, "interrupted"),
            _ => (ExitCodes.Failure, $"error: {ex.GetType().Name}: {ex.Message}"),
        };
        errors.WriteLine(line.ReplaceLineEndings(" "));
        return code;
    }
}
