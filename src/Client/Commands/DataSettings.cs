using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace LearnedActivation.Client.Commands;

/// <summary>Where the training data comes from: OpenML 44121 by default, or a local CSV.</summary>
public class DataSettings : CommandSettings
{
    [CommandOption("--data <FILE>")]
    [Description("Local CSV or CSV.gz file instead of OpenML 44121 (relative names are also looked up in $LEARNACT_DATA_DIR).")]
    public string? Data { get; init; }

    [CommandOption("--target <COLUMN>")]
    [Description("Target column of --data (binary: 0/1 or two distinct values).")]
    public string? Target { get; init; }

    public override ValidationResult Validate()
    {
        if (Data is not null && string.IsNullOrWhiteSpace(Target))
        {
            return ValidationResult.Error("--target: required with --data (name the binary target column)");
        }

        if (Data is null && Target is not null)
        {
            return ValidationResult.Error("--target: only meaningful with --data FILE");
        }

        return ValidationResult.Success();
    }
}
