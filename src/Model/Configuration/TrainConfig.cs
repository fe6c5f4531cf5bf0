namespace LearnedActivation.Model.Configuration;

/// <summary>How one configuration is trained. Defaults are the study's.</summary>
/// <param name="Epochs">The most passes over the training split (the cap, <c>maxEpochs</c>); a run usually stops
/// earlier, when validation loss has not improved for <paramref name="Patience"/> epochs. docs/training.md says why these defaults.</param>
/// <param name="BatchSize">Mini-batch size (the study uses 2048; docs/training.md says why).</param>
/// <param name="LearningRate">Adam learning rate.</param>
/// <param name="Seed">Seeds weight initialisation, data order and the data split.</param>
/// <param name="TorchThreads">libtorch intra-op threads for this run; results are bitwise reproducible for a fixed value.</param>
/// <param name="ActivationEval">How the activation network is computed; the default is the fastest mode that keeps
/// the results of exact (docs/benchmarks.md).</param>
/// <param name="Patience">Epochs without a lower validation loss after which the run stops; the best epoch's weights are its result.</param>
/// <param name="ActivationCurvature">Learned arm only: strength of the penalty on the learned function's squared
/// curvature (<see cref="Training.ShapePenalty"/>) added to the training loss, ramped up over its first epochs;
/// 0 turns it off. The default 0.01 is the measured one (docs/training.md).
/// docs/study-results.md, "Attempts to close the gap", has what it does to the gap to the fixed arm.</param>
/// <param name="LearningRateWarmup">Epochs (fractional allowed) over which the learning rate rises linearly, step by
/// step, from lr / steps to lr, in every arm (and again after each rollback, see <paramref name="RollbackAbove"/>); 0 is
/// off. The default 1 removes the first-epoch blow-ups of deep compositions at lr 1e-2 (docs/study-results.md, point 2).</param>
/// <param name="ActivationLearningRateScale">Learned arm only: the activation network's parameters are updated at
/// <paramref name="LearningRate"/> times this (the outer layers at <paramref name="LearningRate"/>). One shared
/// function acts at every unit of every layer, so a step that is small for one outer weight moves all of the
/// network's non-linearities at once. 1 (the default) is off: 0.1 was measured and not adopted (docs/study-results.md,
/// "Attempts to close the gap").</param>
/// <param name="RollbackAbove">A divergence guard, in every arm: an epoch whose validation loss is above this multiple of
/// the best so far sends training back to the best epoch's weights, with Adam's moments cleared and the learning rate
/// halved and warmed up again (at most <see cref="MaxRollbacks"/> times a run); the patience then counts from that epoch.
/// 0 is off; the default 1.5 is above every validation-loss rise of the runs that did not spike in the full study (at most 1.35x).
/// Lr 1e-2 makes the deepest compositions spike (docs/study-results.md, point 2); a spike no longer ends their learning.</param>
public sealed record TrainConfig(
    int Epochs = TrainConfig.DefaultEpochs,
    int BatchSize = TrainConfig.DefaultBatchSize,
    double LearningRate = TrainConfig.DefaultLearningRate,
    long Seed = TrainConfig.DefaultSeed,
    int TorchThreads = TrainConfig.DefaultTorchThreads,
    ActivationEvaluation ActivationEval = TrainConfig.DefaultActivationEval,
    int Patience = TrainConfig.DefaultPatience,
    double ActivationCurvature = TrainConfig.DefaultActivationCurvature,
    double LearningRateWarmup = TrainConfig.DefaultLearningRateWarmup,
    double ActivationLearningRateScale = TrainConfig.DefaultActivationLearningRateScale,
    double RollbackAbove = TrainConfig.DefaultRollbackAbove)
{
    public const double DefaultRollbackAbove = 1.5;

    /// <summary>Rollbacks a run may take (<see cref="RollbackAbove"/>); past them a spike stays, and the patience ends the run.</summary>
    public const int MaxRollbacks = 3;

    public const double DefaultActivationLearningRateScale = 1;

    public const double DefaultLearningRateWarmup = 1;

    public const int DefaultEpochs = 500;

    public const int DefaultPatience = 10;

    public const double DefaultActivationCurvature = 0.01;

    public const int DefaultBatchSize = 2048;

    public const double DefaultLearningRate = 1e-2;

    public const long DefaultSeed = 0;

    public const int DefaultTorchThreads = 1;

    public const ActivationEvaluation DefaultActivationEval = ActivationEvaluation.Grid;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid field.</summary>
    public void Validate()
    {
        if (Epochs <= 0)
        {
            throw new ArgumentException($"epochs must be positive (got {Epochs})", nameof(Epochs));
        }

        if (Patience <= 0)
        {
            throw new ArgumentException($"patience must be positive (got {Patience})", nameof(Patience));
        }

        if (BatchSize <= 0)
        {
            throw new ArgumentException($"batch size must be positive (got {BatchSize})", nameof(BatchSize));
        }

        if (!(LearningRate > 0) || double.IsInfinity(LearningRate))
        {
            throw new ArgumentException($"learning rate must be a positive number (got {LearningRate})", nameof(LearningRate));
        }

        if (TorchThreads <= 0)
        {
            throw new ArgumentException($"torch threads must be positive (got {TorchThreads})", nameof(TorchThreads));
        }

        if (!(ActivationCurvature >= 0) || double.IsInfinity(ActivationCurvature))
        {
            throw new ArgumentException($"activation curvature must be a non-negative number (got {ActivationCurvature})", nameof(ActivationCurvature));
        }

        if (!(LearningRateWarmup >= 0) || double.IsInfinity(LearningRateWarmup))
        {
            throw new ArgumentException($"learning-rate warm-up must be a non-negative number of epochs (got {LearningRateWarmup})", nameof(LearningRateWarmup));
        }

        if (!(ActivationLearningRateScale > 0) || double.IsInfinity(ActivationLearningRateScale))
        {
            throw new ArgumentException($"activation learning-rate scale must be a positive number (got {ActivationLearningRateScale})", nameof(ActivationLearningRateScale));
        }

        if (!(RollbackAbove == 0 || RollbackAbove > 1) || double.IsNaN(RollbackAbove) || double.IsInfinity(RollbackAbove))
        {
            throw new ArgumentException($"rollback threshold must be 0 (off) or a multiple of the best validation loss above 1 (got {RollbackAbove})", nameof(RollbackAbove));
        }

        if (!Enum.IsDefined(ActivationEval))
        {
            throw new ArgumentException($"unknown activation evaluation {(int)ActivationEval}", nameof(ActivationEval));
        }
    }
}
