using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Training;

namespace LearnedActivation.Model.Tests.Support;

/// <summary>
/// Trains a run guarded with a threshold just above 1 (<see cref="TrainConfig.RollbackAbove"/>) to its end, noting the
/// epochs that must have rolled back: those whose validation loss was worse than the best so far, while rollbacks were
/// left. After each such epoch the caller checks that the next epoch starts from the best weights. Single-task and
/// multitask sessions alike (they share no interface, so they come as delegates).
/// </summary>
internal static class RollbackWatch
{
    /// <param name="startsFromBest">Called with the best validation loss so far right after an epoch that rolled back.</param>
    /// <returns>The epochs that rolled back, in order.</returns>
    public static List<int> Train(Func<bool> isComplete, Func<EpochMetrics> runEpoch, Action<double> startsFromBest)
    {
        var best = double.PositiveInfinity;
        var rollbacks = new List<int>();
        while (!isComplete())
        {
            var metrics = runEpoch();
            if (metrics.ValLoss > 1.0001 * best && rollbacks.Count < TrainConfig.MaxRollbacks)
            {
                rollbacks.Add(metrics.Epoch);
                startsFromBest(best);
            }

            best = Math.Min(best, metrics.ValLoss);
        }

        return rollbacks;
    }
}
