namespace LearnedActivation.Model.Training;

/// <summary>
/// Where a run stands between two batches, apart from its tensors: the position in the run, the unfinished
/// epoch's running sums, the best epoch so far (which, with the patience, decides when the run stops) and the history. It is what a checkpoint carries besides the
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

    /// <summary>1-based epoch of the lowest validation loss so far (the first, on ties), 0 when no epoch has finished.</summary>
    public int BestEpoch { get; set; }

    /// <summary>Validation loss of <see cref="BestEpoch"/>: an epoch must beat it to become the best.</summary>
    public double BestValLoss { get; set; } = double.PositiveInfinity;

    /// <summary>Validation accuracy of <see cref="BestEpoch"/>.</summary>
    public double BestValAccuracy { get; set; } = double.NegativeInfinity;

    /// <summary>The weights of <see cref="BestEpoch"/>, as <see cref="Checkpoints.ModuleState.Save"/> wrote them.</summary>
    public byte[] BestModelState { get; set; } = [];

    public List<EpochMetrics> History { get; } = [];

    /// <summary>Epochs after which training went back to the best weights (<see cref="Configuration.TrainConfig.RollbackAbove"/>), in order.</summary>
    public List<int> Rollbacks { get; } = [];

    /// <summary>Epochs since training (re)started: from the start, or from the last rollback, which restarts Adam and its warm-up.</summary>
    public int EpochsSinceRestart => CompletedEpochs - (Rollbacks.Count > 0 ? Rollbacks[^1] : 0);

    /// <summary>The learning rate's factor from the rollbacks so far: halved by each.</summary>
    public double RollbackFactor => Math.Pow(0.5, Rollbacks.Count);

    /// <summary>Epochs finished since the best one or the last rollback, whichever is later: the run stops when they reach the patience.</summary>
    public int EpochsSinceBest => Math.Min(CompletedEpochs - BestEpoch, EpochsSinceRestart);

    /// <summary>Whether the run is over: the patience ran out, or the cap was reached.</summary>
    public bool IsComplete(Configuration.TrainConfig train) => StoppedEarly(train) || CompletedEpochs >= train.Epochs;

    /// <summary>Stopped by the patience (validation loss did not improve for that many epochs) before the cap.</summary>
    public bool StoppedEarly(Configuration.TrainConfig train) =>
        BestEpoch > 0 && EpochsSinceBest >= train.Patience && CompletedEpochs < train.Epochs;

    /// <summary>Whether the epoch just kept (<paramref name="valLoss"/>) diverged enough to go back to the best weights, with a rollback left.</summary>
    public bool ShouldRollBack(double valLoss, Configuration.TrainConfig train) =>
        train.RollbackAbove > 0 && BestEpoch > 0 && valLoss > train.RollbackAbove * BestValLoss && Rollbacks.Count < Configuration.TrainConfig.MaxRollbacks;

    /// <summary>
    /// The divergence guard (<see cref="Configuration.TrainConfig.RollbackAbove"/>) after epoch <paramref name="epoch"/>:
    /// back to the best epoch's weights, Adam started afresh (the spike's moments would shrink or misdirect every step
    /// after it), the rate halved from here on and warmed up again as at the start (a fresh Adam's first steps are
    /// full-size for every weight: without the warm-up the epoch after a rollback spiked again in the probe of
    /// docs/study-results.md). The diverged epoch stays in the history, so the curves show it.
    /// </summary>
    public void RollBack(int epoch, TorchSharp.torch.nn.Module model, AdamOptimizer optimizer)
    {
        Checkpoints.ModuleState.Load(model, BestModelState);
        optimizer.Reset();
        Rollbacks.Add(epoch);
    }

    /// <summary>The learning rate's factor for the next step: the warm-up since the last (re)start, times <see cref="RollbackFactor"/>.</summary>
    public double LearningRateFactor(Configuration.TrainConfig train, int stepsPerEpoch) =>
        TrainingSession.WarmupFactor(train.LearningRateWarmup, (EpochsSinceRestart * (long)stepsPerEpoch) + StepInEpoch, stepsPerEpoch) * RollbackFactor;

    /// <summary>Keeps <paramref name="model"/>'s weights as the best so far when <paramref name="valLoss"/> is the lowest validation loss yet.</summary>
    public void KeepIfBest(int epoch, double valLoss, double valAccuracy, TorchSharp.torch.nn.Module model)
    {
        if (valLoss < BestValLoss)
        {
            BestValLoss = valLoss;
            BestValAccuracy = valAccuracy;
            BestEpoch = epoch;
            BestModelState = Checkpoints.ModuleState.Save(model);
        }
    }

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
