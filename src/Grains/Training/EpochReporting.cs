using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Execution;
using LearnedActivation.Model.Training;

namespace LearnedActivation.Grains.Training;

/// <summary>What every kind of run does after an epoch: take a checkpoint and hand it, with the epoch's metrics, to the run's observer.</summary>
internal static class EpochReporting
{
    /// <param name="saveCheckpoint">The session's checkpoint writer (a single run's or a joint run's format).</param>
    public static void ReportEpoch(this ITrainingObserver observer, EpochMetrics metrics, Action<Stream> saveCheckpoint)
    {
        using var checkpoint = new MemoryStream();
        saveCheckpoint(checkpoint);
        observer.EpochCompleted(
            new EpochReport(metrics.Epoch, metrics.TrainLoss, metrics.ValLoss, metrics.ValAccuracy, metrics.ValAuc, metrics.Elapsed.TotalSeconds),
            checkpoint.GetBuffer().AsMemory(0, (int)checkpoint.Length));
    }
}
