using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Data;

namespace LearnedActivation.Model.Training;

/// <summary>The plain loop over <see cref="TrainingSession"/> for callers that need no checkpoints between epochs.</summary>
public static class Trainer
{
    /// <summary>Trains a new run to the end and returns its result. Blocks the calling thread.</summary>
    public static RunResult Run(RunSpec spec, DataSplits data, IProgress<EpochMetrics>? progress = null, CancellationToken cancellationToken = default) =>
        Run(spec, data, progress, batchProgress: null, cancellationToken);

    /// <inheritdoc cref="Run(RunSpec, DataSplits, IProgress{EpochMetrics}?, CancellationToken)"/>
    public static RunResult Run(
        RunSpec spec,
        DataSplits data,
        IProgress<EpochMetrics>? progress,
        IProgress<BatchProgress>? batchProgress,
        CancellationToken cancellationToken)
    {
        using var session = TrainingSession.Create(spec, data);
        return RunToCompletion(session, progress, batchProgress, cancellationToken);
    }

    /// <summary>Trains the remaining epochs of <paramref name="session"/> (new or restored) and completes it.</summary>
    public static RunResult RunToCompletion(
        TrainingSession session,
        IProgress<EpochMetrics>? progress = null,
        IProgress<BatchProgress>? batchProgress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        while (!session.IsComplete)
        {
            var metrics = session.RunEpoch(batchProgress, cancellationToken);
            progress?.Report(metrics);
        }

        return session.Complete();
    }
}
