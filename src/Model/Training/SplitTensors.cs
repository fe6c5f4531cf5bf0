using System.Security.Cryptography;
using LearnedActivation.Model.Data;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Training;

/// <summary>One split held as tensors for the whole run (features [rows, width], labels [rows]).</summary>
internal sealed class SplitTensors : IDisposable
{
    public SplitTensors(TabularData data)
    {
        Features = tensor(data.Features, [data.Rows, data.Width]);
        Labels = tensor(data.Labels, [data.Rows]);
        LabelValues = data.Labels;
        Rows = data.Rows;
    }

    public Tensor Features { get; }

    public Tensor Labels { get; }

    public float[] LabelValues { get; }

    public int Rows { get; }

    /// <summary>SHA-256 (hex) of the three splits' values and labels, in order: binds a checkpoint to its data.</summary>
    public static string Fingerprint(DataSplits data)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var split in new[] { data.Train, data.Validation, data.Test })
        {
            hash.AppendData(BitConverter.GetBytes(split.Rows));
            hash.AppendData(BitConverter.GetBytes(split.Width));
            hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(split.Features.AsSpan()));
            hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(split.Labels.AsSpan()));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public void Dispose()
    {
        Features.Dispose();
        Labels.Dispose();
    }
}
