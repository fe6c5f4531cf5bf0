using System.ComponentModel;
using Spectre.Console.Cli;

namespace LearnedActivation.Client.Commands;

/// <summary>
/// Where the training data comes from: OpenML 44121 by default, or a local CSV. The combination is
/// checked by <see cref="LearnedActivation.Model.Data.DataSourceFactory"/>, whose errors exit with code 2.
/// </summary>
public class DataSettings : CommandSettings
{
    [CommandOption("--data <FILE>")]
    [Description("Local CSV or CSV.gz file instead of OpenML 44121 (relative names are also looked up in $LEARNACT_DATA_DIR).")]
    public string? Data { get; init; }

    [CommandOption("--target <COLUMN>")]
    [Description("Target column of --data (binary: 0/1 or two distinct values).")]
    public string? Target { get; init; }
}
