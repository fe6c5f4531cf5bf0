using System.ComponentModel.DataAnnotations;

namespace LearnedActivation.Grains.Storage;

/// <summary>Which blob store holds checkpoints, artifacts and grain state.</summary>
public enum BlobStoreProvider
{
    /// <summary>A local directory (<see cref="FileSystemBlobStore"/>): the embedded default, one process per root.</summary>
    FileSystem,

    /// <summary>An Azure Blob Storage container (<see cref="AzureBlobStore"/>; Azurite locally): shared by every silo of a cluster.</summary>
    AzureBlob,
}

/// <summary>
/// Where the blob store keeps its data (configuration section "Storage"; the CLI fills it from --store,
/// --blob and --container). <see cref="BlobStoreFactory"/> opens the store it names. Error messages say
/// what is wrong without the option's name, which the host or the CLI spell their own way.
/// </summary>
public sealed class BlobStoreOptions : IValidatableObject
{
    public const string Section = "Storage";

    /// <summary>The file-system store's root when none is named (the silo's default, and the CLI's without --store).</summary>
    public const string DefaultRoot = "runs";

    /// <summary>The Azure Blob container when none is named.</summary>
    public const string DefaultContainer = "learnact";

    public BlobStoreProvider Provider { get; set; } = BlobStoreProvider.FileSystem;

    /// <summary>FileSystem: root directory; relative paths are relative to the working directory. One sweep lies under "{Root}/{sweepId}/".</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "must not be empty")]
    public string Root { get; set; } = DefaultRoot;

    /// <summary>AzureBlob: the storage account's connection string (Azurite: its development connection string with the blob endpoint).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// AzureBlob without a connection string: the account's blob endpoint (https://ACCOUNT.blob.core.windows.net),
    /// reached as the identity Azure.Identity's DefaultAzureCredential finds (a managed identity, workload identity,
    /// or AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET), which needs the "Storage Blob Data Contributor" role on it.
    /// </summary>
    public string? ServiceUri { get; set; }

    /// <summary>AzureBlob: the container (created if missing). One sweep lies under "{sweepId}/" in it.</summary>
    [RegularExpression("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$", ErrorMessage = "must be 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit")]
    public string Container { get; set; } = DefaultContainer;

    /// <summary>
    /// AzureBlob: how long an operation keeps retrying while the service is unreachable before it fails.
    /// Long enough to ride out a restart of the storage emulator or a short network outage.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "must be between 00:00:01 and 01:00:00")]
    public TimeSpan OutageTolerance { get; set; } = TimeSpan.FromMinutes(3);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var hasConnectionString = !string.IsNullOrWhiteSpace(ConnectionString);
        var hasServiceUri = !string.IsNullOrWhiteSpace(ServiceUri);
        if (Provider == BlobStoreProvider.AzureBlob && !hasConnectionString && !hasServiceUri)
        {
            yield return new ValidationResult(
                $"required when {Section}:{nameof(Provider)} is {nameof(BlobStoreProvider.AzureBlob)} (or {Section}:{nameof(ServiceUri)}, for a managed identity)",
                [nameof(ConnectionString)]);
        }

        if (hasServiceUri && !hasConnectionString
            && (!Uri.TryCreate(ServiceUri, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps))
        {
            yield return new ValidationResult("must be the account's https blob endpoint, e.g. https://ACCOUNT.blob.core.windows.net", [nameof(ServiceUri)]);
        }
    }
}
