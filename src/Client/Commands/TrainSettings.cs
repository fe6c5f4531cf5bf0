using System.ComponentModel;
using LearnedActivation.Client.Cli;
using LearnedActivation.Model.Configuration;
using Spectre.Console;
using Spectre.Console.Cli;

namespace LearnedActivation.Client.Commands;

/// <summary>Options of <c>learnact train</c>.</summary>
public sealed class TrainSettings : DataSettings
{
    [CommandOption("--base <BASE>")]
    [NamesDescription<BaseActivation>("Base activation inside the activation network: {0}.")]
    [TypeConverter(typeof(BaseOption))]
    [DefaultName<BaseActivation>(ModelConfig.DefaultBase)]
    public BaseActivation Base { get; init; } = ModelConfig.DefaultBase;

    [CommandOption("--outer <SIZE>")]
    [SizesDescription("Outer network size", activationNetwork: false)]
    [TypeConverter(typeof(OuterSizeOption))]
    [DefaultName<SizePreset>(ModelConfig.DefaultSize)]
    public SizePreset Outer { get; init; } = ModelConfig.DefaultSize;

    [CommandOption("--act <SIZE>")]
    [SizesDescription("Activation network size", activationNetwork: true)]
    [TypeConverter(typeof(ActivationSizeOption))]
    [DefaultName<SizePreset>(ModelConfig.DefaultSize)]
    public SizePreset Act { get; init; } = ModelConfig.DefaultSize;

    [CommandOption("--arm <ARM>")]
    [NamesDescription<StudyArm>("What the run compares: {0} (learned: activation network from scratch; warm: fitted to the base first; fixed: plain base, no activation network; fixed-wide: plain base, outer layers widened to the learned network's parameter count; random-frozen: a fresh activation network never trained; frozen and finetuned belong to learnact transfer).")]
    [TypeConverter(typeof(ArmOption))]
    [DefaultName<StudyArm>(StudyArms.Default)]
    public StudyArm Arm { get; init; } = StudyArms.Default;

    [CommandOption("--max-epochs|--epochs <N>")]
    [Description("The most epochs a run trains (it stops earlier when validation loss stops improving, see --patience).")]
    [TypeConverter(typeof(EpochsOption))]
    [DefaultValue(TrainConfig.DefaultEpochs)]
    public int Epochs { get; init; } = TrainConfig.DefaultEpochs;

    [CommandOption("--patience <N>")]
    [Description("Stop when validation loss has not improved for this many epochs; the best epoch's weights are the result.")]
    [TypeConverter(typeof(PatienceOption))]
    [DefaultValue(TrainConfig.DefaultPatience)]
    public int Patience { get; init; } = TrainConfig.DefaultPatience;

    [CommandOption("--seed <N>")]
    [Description("Seed for the split, initialisation and data order.")]
    [TypeConverter(typeof(SeedOption))]
    [DefaultValue(TrainConfig.DefaultSeed)]
    public long Seed { get; init; } = TrainConfig.DefaultSeed;

    [CommandOption("--threads <N>")]
    [Description("libtorch threads; results are bit-identical for the same seed and thread count.")]
    [TypeConverter(typeof(ThreadsOption))]
    [DefaultValue(TrainConfig.DefaultTorchThreads)]
    public int Threads { get; init; } = TrainConfig.DefaultTorchThreads;

    [CommandOption("--activation-eval <MODE>")]
    [NamesDescription<ActivationEvaluation>("How the activation network is computed: {0} (exact: libtorch reference; fused: own kernel; grid: knots + cubic, fastest).")]
    [TypeConverter(typeof(EvaluationModeOption))]
    [DefaultName<ActivationEvaluation>(TrainConfig.DefaultActivationEval)]
    public ActivationEvaluation ActivationEval { get; init; } = TrainConfig.DefaultActivationEval;

    [CommandOption("--activation-curvature <X>")]
    [Description("Learned arm: strength of the penalty on the learned function's squared curvature (0: off).")]
    [TypeConverter(typeof(CurvatureOption))]
    [DefaultValue(TrainConfig.DefaultActivationCurvature)]
    public double ActivationCurvature { get; init; } = TrainConfig.DefaultActivationCurvature;

    [CommandOption("--batch-size <N>")]
    [Description("Mini-batch size.")]
    [TypeConverter(typeof(BatchSizeOption))]
    [DefaultValue(TrainConfig.DefaultBatchSize)]
    public int BatchSize { get; init; } = TrainConfig.DefaultBatchSize;

    [CommandOption("--learning-rate <X>")]
    [Description("Adam's learning rate.")]
    [TypeConverter(typeof(LearningRateOption))]
    [DefaultValue(TrainConfig.DefaultLearningRate)]
    public double LearningRate { get; init; } = TrainConfig.DefaultLearningRate;

    [CommandOption("--lr-warmup <EPOCHS>")]
    [Description("Epochs (fractions allowed) over which the learning rate rises linearly to its value, step by step (0: off).")]
    [TypeConverter(typeof(WarmupOption))]
    [DefaultValue(TrainConfig.DefaultLearningRateWarmup)]
    public double LearningRateWarmup { get; init; } = TrainConfig.DefaultLearningRateWarmup;

    [CommandOption("--rollback-above <X>")]
    [Description("Divergence guard: an epoch whose validation loss is above X times the best so far goes back to the best weights with the learning rate halved (0: off).")]
    [TypeConverter(typeof(RollbackAboveOption))]
    [DefaultValue(TrainConfig.DefaultRollbackAbove)]
    public double RollbackAbove { get; init; } = TrainConfig.DefaultRollbackAbove;

    [CommandOption("--activation-lr-scale <X>")]
    [Description("Learned arm: the activation network learns at the learning rate times X.")]
    [TypeConverter(typeof(ActivationRateScaleOption))]
    [DefaultValue(TrainConfig.DefaultActivationLearningRateScale)]
    public double ActivationLearningRateScale { get; init; } = TrainConfig.DefaultActivationLearningRateScale;

    [CommandOption("--out <DIR>")]
    [Description("Output folder. Default: runs/train/<run name> (<base>_<outer>_<act> for the learned arm).")]
    public string? Out { get; init; }

    [CommandOption("--json")]
    [Description("Print the final metrics as JSON instead of a table.")]
    public bool Json { get; init; }

    public ModelConfig ToModelConfig() => new(Base, Outer, Act, Arm);

    public TrainConfig ToTrainConfig() => new(
        Epochs: Epochs,
        BatchSize: BatchSize,
        LearningRate: LearningRate,
        Seed: Seed,
        TorchThreads: Threads,
        ActivationEval: ActivationEval,
        Patience: Patience,
        ActivationCurvature: ActivationCurvature,
        LearningRateWarmup: LearningRateWarmup,
        ActivationLearningRateScale: ActivationLearningRateScale,
        RollbackAbove: RollbackAbove);

    public override ValidationResult Validate()
    {
        if (Epochs <= 0)
        {
            return ValidationResult.Error($"--max-epochs: must be a positive number (got {Epochs})");
        }

        if (Patience <= 0)
        {
            return ValidationResult.Error($"--patience: must be a positive number (got {Patience})");
        }

        if (!(ActivationCurvature >= 0) || double.IsInfinity(ActivationCurvature))
        {
            return ValidationResult.Error(FormattableString.Invariant($"--activation-curvature: must be a non-negative number (got {ActivationCurvature})"));
        }

        if (BatchSize <= 0)
        {
            return ValidationResult.Error($"--batch-size: must be a positive number (got {BatchSize})");
        }

        if (!(LearningRate > 0))
        {
            return ValidationResult.Error(FormattableString.Invariant($"--learning-rate: must be a positive number (got {LearningRate})"));
        }

        if (!(LearningRateWarmup >= 0))
        {
            return ValidationResult.Error(FormattableString.Invariant($"--lr-warmup: must be a non-negative number of epochs (got {LearningRateWarmup})"));
        }

        if (!(RollbackAbove == 0 || RollbackAbove > 1))
        {
            return ValidationResult.Error(FormattableString.Invariant($"--rollback-above: must be 0 (off) or a multiple of the best validation loss above 1 (got {RollbackAbove})"));
        }

        if (!(ActivationLearningRateScale > 0))
        {
            return ValidationResult.Error(FormattableString.Invariant($"--activation-lr-scale: must be a positive number (got {ActivationLearningRateScale})"));
        }

        if (Arm.NeedsSourceActivation())
        {
            return ValidationResult.Error($"--arm: '{Names.Of(Arm)}' starts from a source run's activation: it is an arm of transfer sweeps (learnact transfer SWEEP --data FILE --target COLUMN)");
        }

        if (Threads <= 0)
        {
            return ValidationResult.Error($"--threads: must be a positive number (got {Threads})");
        }

        // libtorch aborts the whole process (not an exception) when asked for many more threads than it can start.
        if (Threads > Environment.ProcessorCount)
        {
            return ValidationResult.Error($"--threads: {Threads} is more than the {Environment.ProcessorCount} cores of this machine");
        }

        return base.Validate();
    }
}
