namespace LearnedActivation.Grains.Storage;

/// <summary>Names of the grain storage providers this project's grains use (both may be the same store).</summary>
public static class StorageNames
{
    public const string Runs = "runs";
    public const string Sweeps = "sweeps";
}
