namespace LearnedActivation.Model.Training;

/// <summary>
/// Where a run stands between two batches, apart from its tensors: the position in the run, the unfinished
/// epoch's running sums, the best epoch so far and the history. It is what a checkpoint carries besides the
/// weights, Adam's moments and the generator (see <see cref="Checkpoints.TrainingCheckpoint"/>); the session
/// advances it batch by batch.
/// </summary>
internal sealed class TrainingState
{
    public int CompletedEpochs { get; set; }

    /// <summary>Batches already done in the unfinished epoch (0 at an epoch boundary).</summary>
    public int StepInEpoch { get; set; }

    /// <summary>Sum over the unfinished epoch's batches of batch-mean loss x batch rows.</summary>
    public double EpochLossSum { get; set; }

    /// <summary>Wall time already spent in the unfinished epoch (by runs before a cancellation or a restore).</summary>
    public TimeSpan EpochElapsed { get; set; }

    /// <summary>1-based epoch of the best validation accuracy so far, 0 when no epoch has finished.</summary>
    public int BestEpoch { get; set; }

    public double BestValAccuracy { get; set; } = double.NegativeInfinity;

    /// <summary>The weights of <see cref="BestEpoch"/>, as <see cref="Checkpoints.ModuleState.Save"/> wrote them.</summary>
    public byte[] BestModelState { get; set; } = [];

    public List<EpochMetrics> History { get; } = [];

    /// <summary>Closes the unfinished epoch: the next one starts from zero.</summary>
    public void EndEpoch(EpochMetrics metrics)
    {
        History.Add(metrics);
        CompletedEpochs = metrics.Epoch;
        StepInEpoch = 0;
        EpochLossSum = 0;
        EpochElapsed = TimeSpan.Zero;
    }
}
