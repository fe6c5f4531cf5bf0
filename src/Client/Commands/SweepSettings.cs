using System.ComponentModel;
using LearnedActivation.Client.Cli;
using LearnedActivation.Model.Configuration;
using Spectre.Console;
using Spectre.Console.Cli;

namespace LearnedActivation.Client.Commands;

/// <summary>Options of <c>learnact sweep</c>.</summary>
public sealed class SweepSettings : SweepRunSettings
{
    public const string DefaultId = "study";

    [CommandOption("--id <ID>")]
    [Description("Sweep id: the same id resumes where it stopped. Default: the spec's id, else 'study'.")]
    public string? Id { get; init; }

    [CommandOption("--spec <FILE>")]
    [Description("JSON sweep spec overriding the axes (bases, outerSizes, activationSizes, seeds, arms) and the budget (maxEpochs, patience, batchSize, learningRate, data).")]
    public string? Spec { get; init; }
}

/// <summary>The options of every command that runs a sweep (<c>sweep</c>, <c>transfer</c>): data, budget overrides, where and how it runs.</summary>
public abstract class SweepRunSettings : StoreSettings
{
    [CommandOption("--data <FILE>")]
    [Description("Local CSV or CSV.gz file: for sweep, instead of OpenML 44121; for transfer, the target data set.")]
    public string? Data { get; init; }

    [CommandOption("--target <COLUMN>")]
    [Description("Target column of --data.")]
    public string? Target { get; init; }

    [CommandOption("--max-epochs|--epochs <N>")]
    [Description("The most epochs a run trains (overrides the spec, or for transfer the source sweep's budget).")]
    [TypeConverter(typeof(EpochsOption))]
    public int? Epochs { get; init; }

    [CommandOption("--patience <N>")]
    [Description("Epochs without a lower validation loss after which a run stops (overrides the spec, or for transfer the source sweep's budget).")]
    [TypeConverter(typeof(PatienceOption))]
    public int? Patience { get; init; }

    [CommandOption("--activation-eval <MODE>")]
    [NamesDescription<ActivationEvaluation>("{0} (overrides the spec; default {1}).", TrainConfig.DefaultActivationEval)]
    [TypeConverter(typeof(EvaluationModeOption))]
    public ActivationEvaluation? ActivationEval { get; init; }

    [CommandOption("--slots <N>")]
    [Description("Runs trained at once on this machine. Default: one per core.")]
    [TypeConverter(typeof(SlotsOption))]
    public int? Slots { get; init; }

    [CommandOption("--dashboard-port <PORT>")]
    [Description("Port of the live dashboard on loopback (printed at start); 0 turns it off. Default: 8265, or a free port when that one is taken.")]
    public int? DashboardPort { get; init; }

    [CommandOption("--detach")]
    [Description("With --cluster: return once the sweep is submitted instead of following it.")]
    public bool Detach { get; init; }

    [CommandOption("--out <DIR>")]
    [Description("Where the per-configuration PNGs and the grids are copied at the end (the original study's layout).")]
    [DefaultValue("nn_activation_functions")]
    public string Out { get; init; } = "nn_activation_functions";

    public override ValidationResult Validate()
    {
        if (DashboardPort is < 0 or > 65535)
        {
            return ValidationResult.Error($"--dashboard-port: must be between 0 and 65535 (got {DashboardPort})");
        }

        if (Epochs is <= 0)
        {
            return ValidationResult.Error($"--max-epochs: must be a positive number (got {Epochs})");
        }

        if (Patience is <= 0)
        {
            return ValidationResult.Error($"--patience: must be a positive number (got {Patience})");
        }

        if (Slots is <= 0)
        {
            return ValidationResult.Error($"--slots: must be a positive number (got {Slots})");
        }

        if (Detach && Cluster is null && Environment.GetEnvironmentVariable(ClusterVariable) is null or "")
        {
            return ValidationResult.Error("--detach: only with --cluster (an embedded sweep lives in this process)");
        }

        return base.Validate();
    }
}
