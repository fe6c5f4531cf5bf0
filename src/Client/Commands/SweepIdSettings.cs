using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace LearnedActivation.Client.Commands;

/// <summary>Options of the commands that act on one named sweep (<c>cancel</c>, <c>resume</c>, <c>results</c>).</summary>
public abstract class SweepIdSettings : StoreSettings
{
    [CommandArgument(0, "<SWEEP>")]
    [Description("Sweep id.")]
    public string Sweep { get; init; } = string.Empty;

    public override ValidationResult Validate() => ValidateSweepId(Sweep);
}
