using System.ComponentModel;
using LearnedActivation.Grains.Contracts;
using Spectre.Console;
using Spectre.Console.Cli;

namespace LearnedActivation.Client.Commands;

/// <summary>
/// Where sweeps live: the embedded file-system store (default), or a running cluster (Redis membership,
/// Azure Blob store) when <c>--cluster</c> or $LEARNACT_CLUSTER names one.
/// </summary>
public class StoreSettings : CommandSettings
{
    public const string StoreVariable = "LEARNACT_STORE";
    public const string ClusterVariable = "LEARNACT_CLUSTER";
    public const string BlobVariable = "LEARNACT_BLOB";
    public const string ContainerVariable = "LEARNACT_CONTAINER";

    [CommandOption("--store <DIR>")]
    [Description("Blob store root of the embedded mode. Default: $LEARNACT_STORE or ./runs.")]
    public string? Store { get; init; }

    [CommandOption("--cluster <REDIS>")]
    [Description("Work with a running cluster instead of an embedded silo: its Redis connection string (host:port). Default: $LEARNACT_CLUSTER.")]
    public string? Cluster { get; init; }

    [CommandOption("--blob <CONNECTION>")]
    [Description("The cluster's Azure Blob connection string, to copy figures and results out. Default: $LEARNACT_BLOB.")]
    public string? Blob { get; init; }

    [CommandOption("--container <NAME>")]
    [Description("The cluster's blob container. Default: $LEARNACT_CONTAINER or learnact.")]
    public string? Container { get; init; }

    public string StoreRoot => Store ?? Environment.GetEnvironmentVariable(StoreVariable) ?? "runs";

    /// <summary>A SWEEP argument must be a storage-safe name (the rule sweep specs follow), never a path.</summary>
    protected static ValidationResult ValidateSweepId(string sweep) => RunKey.IsValidName(sweep)
        ? ValidationResult.Success()
        : ValidationResult.Error($"SWEEP: '{sweep}' is not a sweep id (letters, digits, '.', '_' and '-', not starting with '.')");

    /// <summary>The cluster's Redis connection string; null in embedded mode.</summary>
    public string? ClusterRedis => NonEmpty(Cluster) ?? NonEmpty(Environment.GetEnvironmentVariable(ClusterVariable));

    public bool IsCluster => ClusterRedis is not null;

    public string? BlobConnection => NonEmpty(Blob) ?? NonEmpty(Environment.GetEnvironmentVariable(BlobVariable));

    public string BlobContainer => NonEmpty(Container) ?? NonEmpty(Environment.GetEnvironmentVariable(ContainerVariable)) ?? "learnact";

    public override ValidationResult Validate()
    {
        if (Store is not null && Cluster is not null)
        {
            return ValidationResult.Error("--store and --cluster: choose one (the embedded store, or a running cluster)");
        }

        return base.Validate();
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
