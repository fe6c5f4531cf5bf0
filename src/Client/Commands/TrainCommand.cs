using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using LearnedActivation.Client.Cli;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Data;
using LearnedActivation.Model.Outputs;
using LearnedActivation.Model.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace LearnedActivation.Client.Commands;

/// <summary><c>learnact train</c>: one configuration, end to end, with a live progress bar.</summary>
public sealed class TrainCommand(IAnsiConsole console) : AsyncCommand<TrainSettings>
{
    // An undefined metric (NaN) is printed as "NaN" rather than failing the whole command at its last step.
    private static readonly JsonSerializerOptions JsonOptions = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public override async Task<int> ExecuteAsync(CommandContext context, TrainSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);

        // --json: stdout carries only the JSON document; the live display and notes are not shown.
        var display = settings.Json ? QuietConsole.Instance : console;
        var model = settings.ToModelConfig();
        var train = settings.ToTrainConfig();
        var outDir = settings.Out ?? Path.Combine("runs", "train", model.Name);
        CreateOutputFolder(outDir);

        var source = DataSourceFactory.Create(settings.Data, settings.Target, DataLimitsSettings.FromEnvironment());
        var (splits, contentHash) = await DataLoading.LoadAndSplitAsync(display, source, train.Seed, cancellationToken);
        var spec = new RunSpec(model, train, contentHash);

        var activation = model.HasActivationNetwork ? $"activation network 1-{string.Join('-', model.ActivationHidden)}-1" : $"plain {Names.Of(model.Base)}";
        display.MarkupLineInterpolated($"Training [bold]{model.Name}[/] ({Names.Of(model.Arm)} arm): outer {string.Join('-', model.OuterHiddenFor(splits.Train.Width))}, {activation}, at most {train.Epochs} epochs (patience {train.Patience}), seed {train.Seed}, {train.TorchThreads} thread(s), {Names.Of(train.ActivationEval)} activation evaluation");

        var (session, result) = await TrainingDisplay.RunAsync(display, spec, splits, cancellationToken);
        using (session)
        {
            var files = RunOutputWriter.Write(outDir, session, result, RunMetricsDocument.DataInfo.From(splits, contentHash));
            if (settings.Json)
            {
                var document = new { config = result.ConfigName, arm = Names.Of(result.Arm), epochs = result.History.Count, bestEpoch = result.BestEpoch, bestValAccuracy = result.BestValAccuracy, testAccuracy = result.TestAccuracy, testAuc = result.TestAuc, trainAccuracy = result.TrainAccuracy, outputs = files.Directory };
                console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(document, JsonOptions));
            }
            else
            {
                console.Write(Summary(result, files));
            }
        }

        return 0;
    }

    /// <summary>Before any training: a folder that cannot be written should cost a second, not a run.</summary>
    private static void CreateOutputFolder(string outDir)
    {
        try
        {
            Directory.CreateDirectory(outDir);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--out: cannot create {outDir}: {ex.Message}", ex);
        }
    }

    private static Table Summary(RunResult result, RunOutputFiles files)
    {
        static string F(double v) => v.ToString("0.0000", CultureInfo.InvariantCulture);
        var table = new Table().Title($"[bold]{result.ConfigName}[/]").AddColumn("metric").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("epochs", result.History.Count.ToString(CultureInfo.InvariantCulture) + (result.StoppedEarly ? " (stopped: no better validation loss)" : " (cap)"));
        table.AddRow("best epoch", result.BestEpoch.ToString(CultureInfo.InvariantCulture));
        table.AddRow("val accuracy", F(result.BestValAccuracy));
        table.AddRow("test accuracy", F(result.TestAccuracy));
        table.AddRow("test ROC AUC", F(result.TestAuc));
        table.AddRow("train accuracy", F(result.TrainAccuracy));
        table.AddRow("parameters (outer + activation)", $"{result.Parameters.Outer} + {result.Parameters.Activation}");
        if (result.WarmStartFitError is { } fit)
        {
            table.AddRow("warm start fit error (MSE)", fit.ToString("G4", CultureInfo.InvariantCulture));
        }

        table.AddRow("training time", $"{result.TrainingTime.TotalSeconds:0.0} s");
        if (files.ActivationPlot is not null)
        {
            table.AddRow("activation graph", Markup.Escape(files.ActivationPlot));
        }

        table.AddRow("learning curve", Markup.Escape(files.LearningCurve));
        if (files.Weights is not null)
        {
            table.AddRow("weights", Markup.Escape(files.Weights.TorchSharp));
        }

        table.AddRow("metrics", Markup.Escape(files.Metrics));
        return table;
    }
}
