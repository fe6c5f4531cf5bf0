using System.Globalization;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Data;
using LearnedActivation.Model.Training;
using Spectre.Console;

namespace LearnedActivation.Client.Commands;

/// <summary>
/// Runs a training session on a dedicated thread (TorchSharp's dispose scopes and grad mode are
/// thread-local, so the loop never awaits) while a progress bar shows epoch, loss, accuracy and ETA.
/// </summary>
internal static class TrainingDisplay
{
    public static async Task<(TrainingSession Session, RunResult Result)> RunAsync(IAnsiConsole console, RunSpec spec, DataSplits splits, CancellationToken cancellationToken)
    {
        var epochs = spec.Train.Epochs;
        return await console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask(Describe(spec.Model.Name, 0, epochs, null), maxValue: epochs);
                return await Task.Factory.StartNew(
                    () => Train(console, spec, splits, task, cancellationToken),
                    cancellationToken,
                    TaskCreationOptions.LongRunning,
                    TaskScheduler.Default);
            });
    }

    private static (TrainingSession, RunResult) Train(IAnsiConsole console, RunSpec spec, DataSplits splits, ProgressTask task, CancellationToken cancellationToken)
    {
        var session = TrainingSession.Create(spec, splits);
        try
        {
            var epochs = spec.Train.Epochs;
            var result = session.RunToCompletion(
                afterEpoch: metrics =>
                {
                    task.Value = metrics.Epoch;
                    task.Description = Describe(spec.Model.Name, metrics.Epoch, epochs, metrics);
                    console.MarkupLine(string.Create(
                        CultureInfo.InvariantCulture,
                        $"epoch {metrics.Epoch,3}/{epochs}  loss {metrics.TrainLoss:0.0000}  val loss {metrics.ValLoss:0.0000}  acc {metrics.ValAccuracy:0.0000}  AUC {metrics.ValAuc:0.0000}  {metrics.Elapsed.TotalSeconds:0.0}s"));
                    if (session.IsComplete)
                    {
                        // A run that stops early ends the bar there: the cap was a limit, not the plan.
                        task.MaxValue = metrics.Epoch;
                        task.StopTask();
                    }
                },
                new SynchronousProgress<BatchProgress>(b => task.Value = b.Epoch - 1 + ((double)b.Step / b.Steps)),
                cancellationToken);
            return (session, result);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private static string Describe(string name, int epoch, int epochs, EpochMetrics? last) => last is null
        ? $"{name} epoch 0/{epochs}"
        : string.Create(CultureInfo.InvariantCulture, $"{name} epoch {epoch}/{epochs} loss {last.TrainLoss:0.000} val acc {last.ValAccuracy:0.000}");

    /// <summary>Reports on the calling thread: the training thread updates the bar directly, no sync context hop.</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
