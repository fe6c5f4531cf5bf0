using System.Security.Cryptography;
using LearnedActivation.Model.Networks;

namespace LearnedActivation.Model.Checkpoints;

/// <summary>
/// A source run's learned activation, as the bytes of its TorchSharp weights file (<see cref="ActivationWeights.Save"/>,
/// a run's <c>activation.dat</c>): what the transfer arms <c>frozen</c> and <c>finetuned</c> start from. Kept as bytes
/// so that it travels to whichever silo trains the run, and hashed so that a checkpoint is never resumed over other weights.
/// </summary>
public sealed class SourceActivationWeights
{
    private readonly byte[] _bytes;

    public SourceActivationWeights(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length == 0)
        {
            throw new ArgumentException("the source activation's weights file is empty", nameof(bytes));
        }

        _bytes = bytes;
        Hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    /// <summary>SHA-256 (hex) of the file's bytes.</summary>
    public string Hash { get; }

    /// <summary>Loads the weights into <paramref name="network"/> (strict: the shapes must match the source's).</summary>
    /// <exception cref="CheckpointException">The bytes are not weights of a network of this shape.</exception>
    public void LoadInto(ActivationNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        try
        {
            using var stream = new MemoryStream(_bytes, writable: false);
            using var reader = new BinaryReader(stream);
            network.load(reader, strict: true);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new CheckpointException($"the source activation's weights do not fit an activation network [{string.Join(", ", network.Layers.Select(l => l.weight!.shape[0]).SkipLast(1))}]: {e.Message}", e);
        }
    }
}
