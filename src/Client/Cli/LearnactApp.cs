using LearnedActivation.Client.Commands;
using LearnedActivation.Model.Data;
using LearnedActivation.Model.Training;
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
        return app.RunAsync(PairOptions.Join(args), cancellationToken);
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
        config.AddCommand<SweepCommand>("sweep")
            .WithDescription("Run the 27-configuration study on an embedded Orleans silo (resumes when run again with the same id).")
            .WithExample("sweep")
            .WithExample("sweep", "--data", "covertype.csv.gz", "--target", "target")
            .WithExample("sweep", "--spec", "sweep.json", "--id", "small-study")
            .WithExample("sweep", "--spec", "sweep.json", "--cluster", "127.0.0.1:6390", "--detach");
        config.AddCommand<TransferCommand>("transfer")
            .WithDescription("Transfer a finished sweep's learned activations to other data: fixed, learned, frozen, finetuned and random-frozen arms, as a sweep of its own.")
            .WithExample("transfer", "study", "--data", "credit.csv.gz", "--target", "SeriousDlqin2yrs")
            .WithExample("transfer", "study", "--data", "credit.csv.gz", "--target", "SeriousDlqin2yrs", "--seeds", "3", "--id", "study-to-credit");
        config.AddCommand<StatusCommand>("status")
            .WithDescription("Show where a sweep stands: while it runs, or afterwards from the store.")
            .WithExample("status")
            .WithExample("status", "study", "--watch");
        config.AddCommand<CancelCommand>("cancel")
            .WithDescription("Cancel a sweep's runs that have not ended (they keep their last checkpoint).")
            .WithExample("cancel", "study")
            .WithExample("cancel", "study", "--cluster", "127.0.0.1:6390");
        config.AddCommand<ResumeCommand>("resume")
            .WithDescription("Start a cancelled or unfinished sweep again on a cluster: completed runs stay, the rest continue from their checkpoints.")
            .WithExample("resume", "study", "--cluster", "127.0.0.1:6390");
        config.AddCommand<ResultsCommand>("results")
            .WithDescription("Copy a sweep's report, figures, table and run outputs out of the store.")
            .WithExample("results", "study", "--out", "study-results");
        config.AddCommand<DashboardCommand>("dashboard")
            .WithDescription("Serve the sweep dashboard (runs, curves, learned activations, silos) for a running or finished sweep.")
            .WithExample("dashboard", "study");
        config.AddCommand<AnalyzeCommand>("analyze")
            .WithDescription("Measure a saved learned activation: extrema, slopes, tails and the nearest known function.")
            .WithExample("analyze", "runs/train/tanh_small_small")
            .WithExample("analyze", "activation.safetensors", "--base", "relu", "--range=-3,3", "--json");
    }

    /// <summary>
    /// Maps failures to ONE line and a meaningful exit code. Written raw (not as Spectre markup), so a
    /// long message is never folded at the terminal width and a path with brackets is printed as is.
    /// </summary>
    private static int HandleException(Exception ex, TextWriter errors)
    {
        var (code, line) = ex switch
        {
            // A bad option value: Spectre wraps what the option's converter threw (see WholeNumberOption).
            CommandAppException { InnerException: UsageException usage } => (ExitCodes.BadInput, "error: " + usage.Message),
            CommandAppException or DataException or UsageException or Grains.Contracts.SweepSpecException => (ExitCodes.BadInput, "error: " + ex.Message),
            OperationCanceledException => (ExitCodes.Interrupted, "interrupted"),
            ClusterUnreachableException or TrainingDivergedException => (ExitCodes.Failure, "error: " + ex.Message),
            _ => (ExitCodes.Failure, $"error: {ex.GetType().Name}: {ex.Message}"),
        };
        errors.WriteLine(line.ReplaceLineEndings(" "));
        return code;
    }
}
