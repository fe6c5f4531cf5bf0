using System.Globalization;
using System.Text.Json;
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
    public override async Task<int> ExecuteAsync(CommandContext context, TrainSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var model = settings.ToModelConfig();
        var train = settings.ToTrainConfig();
        var outDir = settings.Out ?? Path.Combine("runs", "train", model.Name);

        var source = DataSourceFactory.Create(settings.Data, settings.Target);
        var (splits, contentHash) = await DataLoading.LoadAndSplitAsync(console, source, train.Seed, cancellationToken);
        var spec = new RunSpec(model, train, contentHash);

        console.MarkupLineInterpolated($"Training [bold]{model.Name}[/]: outer {string.Join('-', model.OuterHidden)}, activation network 1-{string.Join('-', model.ActivationHidden)}-1, {train.Epochs} epochs, seed {train.Seed}, {train.TorchThreads} thread(s)");

        var (session, result) = await TrainingDisplay.RunAsync(console, spec, splits, cancellationToken);
        using (session)
        {
            var files = RunOutputWriter.Write(outDir, session, result, RunMetricsDocument.DataInfo.From(splits, contentHash));
            if (settings.Json)
            {
                console.WriteLine(JsonSerializer.Serialize(new { result.ConfigName, result.BestEpoch, result.BestValAccuracy, result.TestAccuracy, result.TestAuc, Outputs = files.Directory }));
            }
            else
            {
                console.Write(Summary(result, files));
            }
        }

        return 0;
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
