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

        display.MarkupLineInterpolated($"Training [bold]{model.Name}[/]: outer {string.Join('-', model.OuterHidden)}, activation network 1-{string.Join('-', model.ActivationHidden)}-1, {train.Epochs} epochs, seed {train.Seed}, {train.TorchThreads} thread(s), {Names.Of(train.ActivationEval)} activation evaluation");

        var (session, result) = await TrainingDisplay.RunAsync(display, spec, splits, cancellationToken);
        using (session)
        {
            var files = RunOutputWriter.Write(outDir, session, result, RunMetricsDocument.DataInfo.From(splits, contentHash));
            if (settings.Json)
            {
                var document = new { config = result.ConfigName, bestEpoch = result.BestEpoch, bestValAccuracy = result.BestValAccuracy, testAccuracy = result.TestAccuracy, testAuc = result.TestAuc, outputs = files.Directory };
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
        table.AddRow("best epoch", result.BestEpoch.ToString(CultureInfo.InvariantCulture));
        table.AddRow("val accuracy", F(result.BestValAccuracy));
        table.AddRow("test accuracy", F(result.TestAccuracy));
        table.AddRow("test ROC AUC", F(result.TestAuc));
        table.AddRow("training time", $"{result.TrainingTime.TotalSeconds:0.0} s");
        table.AddRow("activation graph", Markup.Escape(files.ActivationPlot));
        table.AddRow("learning curve", Markup.Escape(files.LearningCurve));
        table.AddRow("weights", Markup.Escape(files.Weights.TorchSharp));
        table.AddRow("metrics", Markup.Escape(files.Metrics));
        return table;
    }
}
