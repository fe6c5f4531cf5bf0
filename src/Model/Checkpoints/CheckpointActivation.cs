using System.Text;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Networks;
using LearnedActivation.Model.Plots;
using LearnedActivation.Model.Training;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Checkpoints;

/// <summary>
/// The learned activation as a running run's newest checkpoint holds it: the cheapest honest view of it while it
/// trains, since checkpoints are written anyway and carry the exact weights (nothing is re-trained or estimated).
/// Only the activation network's entries are read out of the model's state, so neither the data nor the outer
/// network's input width is needed.
/// </summary>
public static class CheckpointActivation
{
    private const string Prefix = "activation.";

    // Envelope layout (see CheckpointEnvelope): magic 8, version 4, then the 32-byte spec hash.
    private const int SpecHashOffset = 12;
    private const int SpecHashLength = 32;

    /// <summary>Samples the activation stored in <paramref name="checkpoint"/> over <paramref name="range"/>.</summary>
    /// <returns>The epochs the checkpoint had completed, and the function's samples.</returns>
    /// <exception cref="CheckpointException">Not an intact checkpoint, or its activation is not of <paramref name="model"/>'s shape.</exception>
    public static (int Epoch, double[] X, double[] Y) Sample(byte[] checkpoint, ModelConfig model, XRange range, int points = 121)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(model);
        if (checkpoint.Length < SpecHashOffset + SpecHashLength)
        {
            throw new CheckpointException(CheckpointFailure.Truncated, $"checkpoint is truncated: {checkpoint.Length} bytes");
        }

        // The checksum is verified; the spec is taken as the envelope names it (a viewer has no data hash to compare).
        var specHash = Convert.ToHexStringLower(checkpoint.AsSpan(SpecHashOffset, SpecHashLength));
        var payload = CheckpointEnvelope.Read(new MemoryStream(checkpoint, writable: false), specHash, model.Name);
        var snapshot = TrainingSnapshot.FromBytes(payload);
        using var scope = NewDisposeScope();
        using var network = new ActivationNetwork(model.ActivationHidden, model.Base);
        try
        {
            using var reader = new BinaryReader(new MemoryStream(ActivationEntries(snapshot.ModelState), writable: false));
            network.load(reader, strict: true);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new CheckpointException(CheckpointFailure.Corrupted, $"checkpoint of {model.Name} holds no activation network of widths [{string.Join(", ", model.ActivationHidden)}]: {e.Message}", e);
        }

        var (x, y) = ActivationProbe.Curve(network, range, points);
        return (snapshot.CompletedEpochs, x, y);
    }

    /// <summary>
    /// The entries of a TorchSharp module state (count, then name and tensor per entry) whose names start with
    /// "activation.", renamed without it: the state an <see cref="ActivationNetwork"/> of its own loads.
    /// </summary>
    private static byte[] ActivationEntries(byte[] state)
    {
        using var reader = new BinaryReader(new MemoryStream(state, writable: false), Encoding.UTF8);
        var count = Decode(reader);
        var kept = new List<(string Name, byte[] Tensor)>();
        for (long i = 0; i < count; i++)
        {
            var name = reader.ReadString();
            var start = reader.BaseStream.Position;
            var type = (ScalarType)Decode(reader);
            var dimensions = Decode(reader);
            long elements = 1;
            for (long d = 0; d < dimensions; d++)
            {
                elements *= Decode(reader);
            }

            reader.BaseStream.Seek(elements * ElementSize(type), SeekOrigin.Current);
            if (name.StartsWith(Prefix, StringComparison.Ordinal))
            {
                var length = (int)(reader.BaseStream.Position - start);
                kept.Add((name[Prefix.Length..], state.AsSpan((int)start, length).ToArray()));
            }
        }

        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            Encode(writer, kept.Count);
            foreach (var (name, tensor) in kept)
            {
                writer.Write(name);
                writer.Write(tensor);
            }
        }

        return buffer.ToArray();
    }

    private static int ElementSize(ScalarType type) => type switch
    {
        ScalarType.Float32 => 4,
        ScalarType.Float64 => 8,
        _ => throw new InvalidDataException($"unexpected tensor type {type} in a model state"),
    };

    // TorchSharp writes counts, types and sizes as 7-bit variable-length integers.
    private static long Decode(BinaryReader reader)
    {
        long value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = reader.ReadByte();
            value |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
    }

    private static void Encode(BinaryWriter writer, long value)
    {
        while (value >= 0x80)
        {
            writer.Write((byte)(value | 0x80));
            value >>= 7;
        }

        writer.Write((byte)value);
    }
}
