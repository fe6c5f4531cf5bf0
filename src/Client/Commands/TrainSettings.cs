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
    [Description("Base activation inside the activation network: tanh|relu|gelu.")]
    [DefaultValue("tanh")]
    public string Base { get; init; } = "tanh";

    [CommandOption("--outer <SIZE>")]
    [Description("Outer network size: small [[48,24]] | medium [[48,24,16]] | large [[96,48,32]].")]
    [DefaultValue("small")]
    public string Outer { get; init; } = "small";

    [CommandOption("--act <SIZE>")]
    [Description("Activation network size: small [[16,8]] | medium [[32,16]] | large [[32,16,8]].")]
    [DefaultValue("small")]
    public string Act { get; init; } = "small";

    [CommandOption("--epochs <N>")]
    [Description("Training epochs.")]
    [TypeConverter(typeof(EpochsOption))]
    [DefaultValue(TrainConfig.DefaultEpochs)]
    public int Epochs { get; init; } = TrainConfig.DefaultEpochs;

    [CommandOption("--seed <N>")]
    [Description("Seed for the split, initialisation and data order.")]
    [TypeConverter(typeof(SeedOption))]
    [DefaultValue(0L)]
    public long Seed { get; init; }

    [CommandOption("--threads <N>")]
    [Description("libtorch threads; results are bit-identical for the same seed and thread count.")]
    [TypeConverter(typeof(ThreadsOption))]
    [DefaultValue(1)]
    public int Threads { get; init; } = 1;

    [CommandOption("--activation-eval <MODE>")]
    [Description("How the activation network is computed: grid (default: knots + cubic, fastest) | fused (own kernel) | exact (libtorch reference).")]
    [DefaultValue("grid")]
    public string ActivationEval { get; init; } = "grid";

    [CommandOption("--out <DIR>")]
    [Description("Output folder. Default: runs/train/<base>_<outer>_<act>.")]
    public string? Out { get; init; }

    [CommandOption("--json")]
    [Description("Print the final metrics as JSON instead of a table.")]
    public bool Json { get; init; }

    public ModelConfig ToModelConfig() => new(Names.ParseBase(Base), Names.ParseSize(Outer), Names.ParseSize(Act));

    public TrainConfig ToTrainConfig() => new(Epochs: Epochs, Seed: Seed, TorchThreads: Threads, ActivationEval: Names.ParseActivationEvaluation(ActivationEval));

    public override ValidationResult Validate()
    {
        if (!Names.TryParse(Base, out BaseActivation? _))
        {
            return ValidationResult.Error($"--base: unknown base activation '{Base}' (expected {Names.Accepted<BaseActivation>()})");
        }

        if (!Names.TryParse(Outer, out SizePreset? _))
        {
            return ValidationResult.Error($"--outer: unknown size '{Outer}' (expected {Names.Accepted<SizePreset>()})");
        }

        if (!Names.TryParse(Act, out SizePreset? _))
        {
            return ValidationResult.Error($"--act: unknown size '{Act}' (expected {Names.Accepted<SizePreset>()})");
        }

        if (!Names.TryParse(ActivationEval, out ActivationEvaluation? _))
        {
            return ValidationResult.Error($"--activation-eval: unknown mode '{ActivationEval}' (expected {Names.Accepted<ActivationEvaluation>()})");
        }

        if (Epochs <= 0)
        {
            return ValidationResult.Error($"--epochs: must be a positive number (got {Epochs})");
        }

        if (Threads <= 0)
        {
            return ValidationResult.Error($"--threads: must be a positive number (got {Threads})");
        }

        return base.Validate();
    }
}
