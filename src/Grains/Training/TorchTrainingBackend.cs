using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Execution;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Outputs;
using LearnedActivation.Model.Reporting;
using LearnedActivation.Model.Training;

namespace LearnedActivation.Grains.Training;

/// <summary>
/// The real <see cref="ITrainingBackend"/>: trains a run with TorchSharp on the calling (dedicated) thread,
/// one epoch at a time, hands a checkpoint to the observer after each epoch, and returns the same files
/// <c>learnact train</c> writes plus <see cref="RunArtifactNames.Summary"/> for the sweep's report. A multitask
/// sweep's joint run is trained by <see cref="JointRunTraining"/>.
/// </summary>
public sealed class TorchTrainingBackend(SplitDataCache data, IActivationSources sources) : ITrainingBackend
{
    public TrainingResult Train(TrainingRequest request, ITrainingObserver observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(observer);
        if (request.Work.Run.Tasks is { } tasks)
        {
            return JointRunTraining.Train(data, request, tasks, observer, cancellationToken);
        }

        // Blocking is right here: this is the run's own thread, never the grain scheduler.
        var split = data.GetAsync(request.Data, request.Train.Seed, cancellationToken).GetAwaiter().GetResult();
        var source = request.Work.Run.Source is { } from && request.Model.Arm.NeedsSourceActivation()
            ? sources.LoadAsync(from, cancellationToken).GetAwaiter().GetResult()
            : null;
        var spec = new RunSpec(request.Model, request.Train, split.ContentHash) { SourceActivation = source };

        using var session = request.Checkpoint is null
            ? TrainingSession.Create(spec, split.Splits)
            : TrainingSession.Restore(spec, split.Splits, new MemoryStream(request.Checkpoint, writable: false));

        // A NaN or infinite loss throws TrainingDivergedException: the run ends Failed with that one line.
        var result = session.RunToCompletion(
            afterEpoch: metrics => observer.ReportEpoch(metrics, session.SaveCheckpoint),
            cancellationToken: cancellationToken);
        var artifacts = RenderArtifacts(session, result, request, split);
        return new TrainingResult(new TestMetrics(result.TestAccuracy, result.TestAuc), artifacts);
    }

    private static Dictionary<string, byte[]> RenderArtifacts(TrainingSession session, RunResult result, TrainingRequest request, SplitData split)
    {
        // RunOutputWriter renders to files (ScottPlot, TorchSharp's save); a scratch folder turns them into blobs.
        var scratch = Directory.CreateTempSubdirectory("learnact-run-");
        try
        {
            RunOutputWriter.Write(scratch.FullName, session, result, RunMetricsDocument.DataInfo.From(split.Splits, split.ContentHash));
            var artifacts = scratch.EnumerateFiles().ToDictionary(f => f.Name, f => File.ReadAllBytes(f.FullName));
            var summary = RunSummaries.FromResult(request.Model, request.Work.Run.Seed, request.Work.Run.ConfigName, result);
            artifacts[RunArtifactNames.Summary] = System.Text.Encoding.UTF8.GetBytes(RunSummaryJson.Serialize(summary));
            return artifacts;
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }
}
