using System.ComponentModel;
using Spectre.Console.Cli;

namespace LearnedActivation.Client.Commands;

/// <summary>Where sweeps keep their state, checkpoints and artifacts (the embedded file-system blob store).</summary>
public class StoreSettings : CommandSettings
{
    public const string StoreVariable = "LEARNACT_STORE";

    [CommandOption("--store <DIR>")]
    [Description("Blob store root of the embedded mode. Default: $LEARNACT_STORE or ./runs.")]
    public string? Store { get; init; }

    public string StoreRoot => Store ?? Environment.GetEnvironmentVariable(StoreVariable) ?? "runs";
}
