using System.ComponentModel.DataAnnotations;

namespace LearnedActivation.Grains.Storage;

/// <summary>Where the embedded file-system blob store keeps its data (configuration section "Storage").</summary>
public sealed class BlobStoreOptions
{
    public const string Section = "Storage";

    /// <summary>Root directory; relative paths are relative to the working directory. One sweep lies under "{Root}/{sweepId}/".</summary>
    [Required(AllowEmptyStrings = false)]
    public string Root { get; set; } = "runs";
}
