namespace LearnedActivation.Grains.Training;

/// <summary>
/// Which local data files a silo reads (configuration section "Data", beside the reader limits of
/// <see cref="Model.Data.DataLimits"/>). A spec's <c>data.file</c> comes from whoever submitted it, so a
/// cluster silo reads only under <see cref="Root"/>; the embedded silo of <c>learnact sweep</c> serves the
/// person at the keyboard and reads their files wherever they are, unless a root is configured.
/// </summary>
public sealed class DataAccessOptions
{
    public const string Section = "Data";

    /// <summary>
    /// The directory data files are read from: relative names are resolved against it, and a name that resolves
    /// outside it (<c>..</c>, an absolute path elsewhere, a symbolic link out) is refused. Null: no restriction,
    /// unless <see cref="RequireRoot"/>.
    /// </summary>
    public string? Root { get; set; }

    /// <summary>
    /// Set by the host for cluster silos (Silo:Clustering = Redis): without a <see cref="Root"/> such a silo reads
    /// no local file at all (OpenML data still work).
    /// </summary>
    public bool RequireRoot { get; set; }
}
