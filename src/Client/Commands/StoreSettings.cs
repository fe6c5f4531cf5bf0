using System.ComponentModel;
using LearnedActivation.Client.Cli;
using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Storage;
using LearnedActivation.Model.IO;
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
    [Description($"Blob store root of the embedded mode. Default: ${StoreVariable} or ./{BlobStoreOptions.DefaultRoot}.")]
    public string? Store { get; init; }

    [CommandOption("--cluster <REDIS>")]
    [Description("Work with a running cluster instead of an embedded silo: its Redis connection string (host:port). Default: $LEARNACT_CLUSTER.")]
    public string? Cluster { get; init; }

    [CommandOption("--blob <CONNECTION>")]
    [Description("The cluster's Azure Blob connection string, or its https blob endpoint to use your Azure identity (DefaultAzureCredential), to copy figures and results out. Default: $LEARNACT_BLOB.")]
    public string? Blob { get; init; }

    [CommandOption("--container <NAME>")]
    [Description($"The cluster's blob container. Default: ${ContainerVariable} or {BlobStoreOptions.DefaultContainer}.")]
    public string? Container { get; init; }

    public string StoreRoot => Store ?? Environment.GetEnvironmentVariable(StoreVariable) ?? BlobStoreOptions.DefaultRoot;

    /// <summary>A SWEEP argument must be a storage-safe name (the rule sweep specs follow), never a path.</summary>
    protected static ValidationResult ValidateSweepId(string sweep) => RunKey.IsValidSweepId(sweep)
        ? ValidationResult.Success()
        : ValidationResult.Error($"SWEEP: {Excerpt.Quote(sweep)} is not a sweep id (letters, digits, '.', '_' and '-', not starting with '.'; not a name the store uses itself)");

    /// <summary>The cluster's Redis connection string; null in embedded mode.</summary>
    public string? ClusterRedis => NonEmpty(Cluster) ?? NonEmpty(Environment.GetEnvironmentVariable(ClusterVariable));

    public bool IsCluster => ClusterRedis is not null;

    public string? BlobConnection => NonEmpty(Blob) ?? NonEmpty(Environment.GetEnvironmentVariable(BlobVariable));

    public string BlobContainer => NonEmpty(Container) ?? NonEmpty(Environment.GetEnvironmentVariable(ContainerVariable)) ?? BlobStoreOptions.DefaultContainer;

    /// <summary>How long the CLI waits out a blob-store outage before it gives up (silos wait much longer).</summary>
    public static TimeSpan BlobOutageTolerance { get; } = TimeSpan.FromSeconds(10);

    /// <summary>Where the sweeps are, for messages: the embedded store's directory or the cluster's container.</summary>
    public string StoreDescription => IsCluster ? $"the cluster's blob container '{BlobContainer}'" : $"store {Path.GetFullPath(StoreRoot)}";

    /// <summary>
    /// The blob store these options name, as the silos' <see cref="BlobStoreOptions"/>: the embedded
    /// file-system store, or with --cluster the cluster's Azure Blob container (which needs --blob).
    /// </summary>
    /// <param name="purpose">What needs the store, for the message when a cluster's store is not named.</param>
    public BlobStoreOptions StoreOptions(string purpose)
    {
        if (!IsCluster)
        {
            return new BlobStoreOptions { Provider = BlobStoreProvider.FileSystem, Root = StoreRoot };
        }

        var blob = BlobConnection ?? throw new UsageException($"{purpose} needs the cluster's blob store: pass --blob CONNECTION_STRING (or its https endpoint) or set {BlobVariable}");

        // An endpoint alone (https://ACCOUNT.blob.core.windows.net) means: as the user's Azure identity.
        var endpoint = blob.StartsWith("https://", StringComparison.OrdinalIgnoreCase) && !blob.Contains(';', StringComparison.Ordinal);
        return new BlobStoreOptions
        {
            Provider = BlobStoreProvider.AzureBlob,
            ConnectionString = endpoint ? null : blob,
            ServiceUri = endpoint ? blob : null,
            Container = BlobContainer,
            OutageTolerance = BlobOutageTolerance,
        };
    }

    /// <summary>Opens <see cref="StoreOptions"/> with the factory the silos use; a bad setting is one line naming its option.</summary>
    /// <param name="purpose">What needs the store, for the message when a cluster's store is not named.</param>
    public IBlobStore OpenStore(string purpose)
    {
        try
        {
            return BlobStoreFactory.Create(StoreOptions(purpose));
        }
        catch (BlobStoreOptionsException e)
        {
            throw new UsageException($"{OptionOf(e.Option)}: {e.Problem}", e);
        }
    }

    public override ValidationResult Validate()
    {
        if (Store is not null && Cluster is not null)
        {
            return ValidationResult.Error("--store and --cluster: choose one (the embedded store, or a running cluster)");
        }

        return base.Validate();
    }

    /// <summary>The command-line option that fills a <see cref="BlobStoreOptions"/> property.</summary>
    private static string OptionOf(string property) => property switch
    {
        nameof(BlobStoreOptions.Root) => "--store",
        nameof(BlobStoreOptions.ConnectionString) or nameof(BlobStoreOptions.ServiceUri) => "--blob",
        nameof(BlobStoreOptions.Container) => "--container",
        _ => $"{BlobStoreOptions.Section}:{property}",
    };

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
