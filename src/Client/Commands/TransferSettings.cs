using System.ComponentModel;
using LearnedActivation.Client.Cli;
using Spectre.Console;
using Spectre.Console.Cli;

namespace LearnedActivation.Client.Commands;

/// <summary>Options of <c>learnact transfer</c>.</summary>
public sealed class TransferSettings : SweepRunSettings
{
    public const int DefaultSeeds = 5;

    [CommandArgument(0, "<SWEEP>")]
    [Description("The finished sweep whose learned activations are transferred.")]
    public string Source { get; init; } = string.Empty;

    [CommandOption("--id <ID>")]
    [Description("Id of the transfer sweep: the same id resumes it. Default: '{SWEEP}-to-{data file name}'.")]
    public string? Id { get; init; }

    [CommandOption("--seeds <N>")]
    [Description("Seeds 0..N-1 of every arm (default 5).")]
    [TypeConverter(typeof(SeedsOption))]
    public int Seeds { get; init; } = DefaultSeeds;

    public override ValidationResult Validate()
    {
        if (Seeds <= 0)
        {
            return ValidationResult.Error($"--seeds: must be a positive number (got {Seeds})");
        }

        if (Data is null || Target is null)
        {
            return ValidationResult.Error("--data and --target: required (the target data set and its binary target column)");
        }

        var source = ValidateSweepId(Source);
        return source.Successful ? base.Validate() : source;
    }
}
