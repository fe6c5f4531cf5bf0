using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Execution;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Data;
using LearnedActivation.Model.Multitask;
using LearnedActivation.Model.Outputs;
using LearnedActivation.Model.Plots;
using LearnedActivation.Model.Reporting;

namespace LearnedActivation.Grains.Training;

/// <summary>
/// A multitask sweep's joint run (<see cref="RunDefinition.Tasks"/>), trained as the run grain's execution trains any
/// run: a <see cref="MultitaskSession"/> on this (dedicated) thread, its checkpoint (the multitask format,
/// <see cref="MultitaskSession.SaveCheckpoint"/>) handed to the observer after each epoch and restored from the
/// request's checkpoint on resume. It leaves what a learned run leaves where the sweep's frozen runs look for it:
/// <c>activation.dat</c> (and the <c>.pt</c> and <c>.safetensors</c> copies), the graph, the learning curve, plus
/// <see cref="SummaryFile"/> (every task's test metrics) and the sweep report's <see cref="RunArtifactNames.Summary"/>.
/// </summary>
internal static class JointRunTraining
{
    /// <summary>Per task: name, test accuracy, AUC and loss of the best epoch's weights.</summary>
    public const string SummaryFile = "multitask-run.json";

    private static readonly JsonSerializerOptions Json = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals, WriteIndented = true };

    public static TrainingResult Train(SplitDataCache data, TrainingRequest request, IReadOnlyList<DataSpec> tasks, ITrainingObserver observer, CancellationToken cancellationToken)
    {
        // Blocking is right here: this is the run's own thread, never the grain scheduler.
        var splits = tasks.Select(t => data.GetAsync(t, request.Train.Seed, cancellationToken).GetAwaiter().GetResult()).ToList();
        var spec = new MultitaskRunSpec(request.Model with { Arm = StudyArm.Learned }, request.Train, [.. splits.Select(s => s.ContentHash)]);
        var taskSplits = splits.Select(s => s.Splits).ToList();
        using var session = request.Checkpoint is null
            ? MultitaskSession.Create(spec, taskSplits)
            : MultitaskSession.Restore(spec, taskSplits, new MemoryStream(request.Checkpoint, writable: false));

        var result = session.RunToCompletion(
            afterEpoch: metrics => observer.ReportEpoch(metrics, session.SaveCheckpoint),
            cancellationToken: cancellationToken);

        var names = new MultitaskSweep(tasks).TaskNames();
        var scratch = Directory.CreateTempSubdirectory("learnact-joint-");
        try
        {
            session.SaveActivation(scratch.FullName);
            LearningCurvePlot.Save(Path.Combine(scratch.FullName, RunOutputWriter.LearningCurveFile), $"learning curve: {spec.Name} (means over tasks)", RunOutputWriter.Curves(spec.Name, result.History));
            var artifacts = scratch.EnumerateFiles().ToDictionary(f => f.Name, f => File.ReadAllBytes(f.FullName));
            var perTask = new
            {
                run = request.Work.Run.ConfigName,
                tasks = names.Select((name, i) => new { name, testAccuracy = result.TaskTest[i].Accuracy, testAuc = result.TaskTest[i].Auc, testLoss = result.TaskTest[i].Loss }),
                epochs = result.History.Count,
                bestEpoch = result.BestEpoch,
                stoppedEarly = result.StoppedEarly,
                rollbacks = result.Rollbacks,
                trainingSeconds = result.TrainingTime.TotalSeconds,
                specHash = result.SpecHash,
            };
            artifacts[SummaryFile] = JsonSerializer.SerializeToUtf8Bytes(perTask, Json);

            // The sweep's row of the run: the means over tasks (the joint run has no single test set).
            var best = result.History[result.BestEpoch - 1];
            var test = new TestMetrics(result.TaskTest.Average(t => t.Accuracy), result.TaskTest.Average(t => t.Auc));
            var summary = new RunSummary(
                request.Model with { Arm = StudyArm.Learned },
                request.Work.Run.Seed,
                request.Work.Run.ConfigName,
                Model.Reporting.RunOutcome.Completed,
                Error: null,
                EpochsCompleted: result.History.Count,
                BestEpoch: result.BestEpoch,
                ValAccuracy: best.ValAccuracy,
                ValAuc: best.ValAuc,
                TestAccuracy: test.Accuracy,
                TestAuc: test.Auc,
                TrainingTime: result.TrainingTime,
                LearnedActivation: new FunctionCurve("learned (multitask)", result.ActivationX, result.ActivationY),
                Curves: RunOutputWriter.Curves(request.Work.Run.ConfigName, result.History),
                TestLoss: result.TaskTest.Average(t => t.Loss))
            {
                StoppedEarly = result.StoppedEarly,
            };
            artifacts[RunArtifactNames.Summary] = Encoding.UTF8.GetBytes(RunSummaryJson.Serialize(summary));
            return new TrainingResult(test, artifacts);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }
}
