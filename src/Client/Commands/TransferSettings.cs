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

    [CommandOption("--runs <NAMES>")]
    [Description("Transfer only these runs of SWEEP (comma-separated run names as `status` shows them). Default: every completed learned or warm run.")]
    public string? Runs { get; init; }

    /// <summary>The run names of <c>--runs</c>, or null when every source run is wanted.</summary>
    public IReadOnlyList<string>? RunNames =>
        Runs?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

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

        if (Runs is not null && RunNames!.Count == 0)
        {
            return ValidationResult.Error("--runs: names no run (expected comma-separated run names of the source sweep)");
        }

        var source = ValidateSweepId(Source);
        return source.Successful ? base.Validate() : source;
    }
}
