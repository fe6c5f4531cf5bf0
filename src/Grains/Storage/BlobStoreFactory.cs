using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Logging;

namespace LearnedActivation.Grains.Storage;

/// <summary>
/// Builds the <see cref="IBlobStore"/> that <see cref="BlobStoreOptions.Provider"/> names: the one place a
/// provider maps to a type, used by the silo host (options from the "Storage" section) and by the CLI
/// (options from --store, --blob, --container). A new backend is an <see cref="IBlobStore"/> class, its
/// <see cref="BlobStoreProvider"/> value (and any settings) in <see cref="BlobStoreOptions"/>, and one line here.
/// </summary>
public static class BlobStoreFactory
{
    /// <summary>
    /// Checks <paramref name="options"/> and opens the store. Opening writes nothing: a store that does not
    /// exist yet is created by its first write.
    /// </summary>
    /// <exception cref="BlobStoreOptionsException">The options are invalid: one line naming the option.</exception>
    public static IBlobStore Create(BlobStoreOptions options, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Check(options);
        return options.Provider switch
        {
            BlobStoreProvider.FileSystem => new FileSystemBlobStore(options.Root),
            BlobStoreProvider.AzureBlob => Open(nameof(options.ConnectionString), "not an Azure Storage connection string", () => new AzureBlobStore(options, loggers?.CreateLogger<AzureBlobStore>())),
            _ => throw new BlobStoreOptionsException(nameof(options.Provider), $"'{options.Provider}' is not a known provider (expected {string.Join('|', Enum.GetNames<BlobStoreProvider>())})"),
        };
    }

    /// <summary>The first problem the options' own rules (data annotations, cross-field checks) find, as one line.</summary>
    private static void Check(BlobStoreOptions options)
    {
        var problems = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), problems, validateAllProperties: true))
        {
            var first = problems[0];
            throw new BlobStoreOptionsException(first.MemberNames.FirstOrDefault() ?? nameof(BlobStoreOptions), first.ErrorMessage ?? "invalid");
        }
    }

    /// <summary>A provider's constructor rejects a malformed setting with an ArgumentException or FormatException: name the setting.</summary>
    private static IBlobStore Open(string option, string problem, Func<IBlobStore> open)
    {
        try
        {
            return open();
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new BlobStoreOptionsException(option, $"{problem} ({e.Message.ReplaceLineEndings(" ")})", e);
        }
    }
}

/// <summary>A blob-store setting that cannot work: <see cref="Option"/> names it (a <see cref="BlobStoreOptions"/> property).</summary>
public sealed class BlobStoreOptionsException : ArgumentException
{
    public BlobStoreOptionsException(string option, string problem, Exception? innerException = null)
        : base($"{BlobStoreOptions.Section}:{option}: {problem}", innerException)
    {
        Option = option;
        Problem = problem;
    }

    public BlobStoreOptionsException()
    {
        Option = string.Empty;
        Problem = string.Empty;
    }

    public BlobStoreOptionsException(string message)
        : base(message)
    {
        Option = string.Empty;
        Problem = message;
    }

    public BlobStoreOptionsException(string message, Exception innerException)
        : base(message, innerException)
    {
        Option = string.Empty;
        Problem = message;
    }

    /// <summary>The <see cref="BlobStoreOptions"/> property at fault (e.g. "ConnectionString").</summary>
    public string Option { get; }

    /// <summary>What is wrong with it, without the option's name.</summary>
    public string Problem { get; }
}
