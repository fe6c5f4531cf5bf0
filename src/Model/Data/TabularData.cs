using System.Security.Cryptography;

namespace LearnedActivation.Model.Data;

/// <summary>
/// A binary-classification table held in memory: features row-major as float32 (what the network
/// consumes), labels as 0/1 floats. Immutable by convention: nothing writes into the arrays after load.
/// </summary>
public sealed class TabularData
{
    public TabularData(string source, IReadOnlyList<string> featureNames, string targetName, float[] features, float[] labels, LabelMapping mapping)
    {
        ArgumentNullException.ThrowIfNull(featureNames);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (featureNames.Count == 0 || features.Length != labels.Length * featureNames.Count)
        {
            throw new ArgumentException($"features hold {features.Length} values, expected {labels.Length} rows x {featureNames.Count} columns");
        }

        Source = source;
        FeatureNames = featureNames;
        TargetName = targetName;
        Features = features;
        Labels = labels;
        Mapping = mapping;
    }

    /// <summary>Where the data came from (a path, or "openml:44121"), for messages and metrics.json.</summary>
    public string Source { get; }

    public IReadOnlyList<string> FeatureNames { get; }

    public string TargetName { get; }

    /// <summary>Rows x Width values, row-major.</summary>
    public float[] Features { get; }

    /// <summary>One 0/1 value per row.</summary>
    public float[] Labels { get; }

    /// <summary>How the raw target values were mapped to 0 and 1.</summary>
    public LabelMapping Mapping { get; }

    public int Rows => Labels.Length;

    public int Width => FeatureNames.Count;

    /// <summary>SHA-256 (hex) of the values and labels: identifies the data in a run's spec hash.</summary>
    public string ContentHash()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(Features.AsSpan()));
        hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(Labels.AsSpan()));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>A new table holding the given rows, in the given order.</summary>
    public TabularData SelectRows(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var features = new float[rows.Count * Width];
        var labels = new float[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            Array.Copy(Features, rows[i] * Width, features, i * Width, Width);
            labels[i] = Labels[rows[i]];
        }

        return new TabularData(Source, FeatureNames, TargetName, features, labels, Mapping);
    }
}

/// <summary>The raw target value read as 0 and the one read as 1 (e.g. "h" -> 0, "g" -> 1).</summary>
public sealed record LabelMapping(string Negative, string Positive)
{
    public override string ToString() => $"{Negative} -> 0, {Positive} -> 1";
}
