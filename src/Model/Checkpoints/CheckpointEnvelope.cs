using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace LearnedActivation.Model.Checkpoints;

/// <summary>
/// The checkpoint file format: a header that says what the payload belongs to, then the payload.
/// <code>
/// magic          8  "LACKPT\r\n" (the CR LF catches text-mode mangling)
/// version        4  int32 LE, <see cref="FormatVersion"/>
/// spec hash     32  raw SHA-256 of the run's spec (RunSpec.Hash)
/// name length    1  then the configuration name, UTF-8 (for error messages)
/// payload length 8  int64 LE
/// checksum      32  SHA-256 over every header byte before it and the payload
/// payload        n
/// </code>
/// Reading checks, in order: truncation, magic, version, checksum, then the spec, so a damaged header
/// is reported as damage rather than as "another run".
/// </summary>
public static class CheckpointEnvelope
{
    /// <summary>Bump whenever the payload layout or anything that decides results on resume changes.</summary>
    public const int FormatVersion = 2;

    /// <summary>Refuse lengths beyond this before allocating: a corrupt length must not exhaust memory.</summary>
    public const long MaxPayloadLength = 1L << 30;

    private static readonly byte[] Magic = "LACKPT\r\n"u8.ToArray();

    public static void Write(Stream destination, string specHash, string configName, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var hashBytes = Convert.FromHexString(specHash);
        if (hashBytes.Length != 32)
        {
            throw new ArgumentException($"spec hash must be 64 hex digits (got '{specHash}')", nameof(specHash));
        }

        var name = Encoding.UTF8.GetBytes(configName);
        if (name.Length > byte.MaxValue)
        {
            throw new ArgumentException($"config name is too long ({name.Length} bytes)", nameof(configName));
        }

        using var header = new MemoryStream();
        header.Write(Magic);
        header.Write(Int32Le(FormatVersion));
        header.Write(hashBytes);
        header.WriteByte((byte)name.Length);
        header.Write(name);
        header.Write(Int64Le(payload.Length));

        var checksum = Checksum(header.ToArray(), payload);
        destination.Write(header.ToArray());
        destination.Write(checksum);
        destination.Write(payload);
        destination.Flush();
    }

    /// <summary>Reads and verifies a checkpoint made for <paramref name="expectedSpecHash"/>; returns its payload.</summary>
    /// <exception cref="CheckpointException">Truncated, corrupted, not a checkpoint, or of another run.</exception>
    public static byte[] Read(Stream source, string expectedSpecHash, string expectedConfigName)
    {
        ArgumentNullException.ThrowIfNull(source);
        using var header = new MemoryStream();
        var magic = ReadExactly(source, Magic.Length, "header", header, allowEmpty: true);
        if (!magic.AsSpan().SequenceEqual(Magic))
        {
            throw new CheckpointException(CheckpointFailure.UnknownFormat, $"not a LearnedActivation checkpoint (starts with {Convert.ToHexString(magic)}, expected {Convert.ToHexString(Magic)})");
        }

        var version = BinaryPrimitives.ReadInt32LittleEndian(ReadExactly(source, 4, "header", header));
        if (version != FormatVersion)
        {
            throw new CheckpointException(CheckpointFailure.UnknownFormat, $"checkpoint format version {version} is not supported (this build reads version {FormatVersion})");
        }

        var specHash = Convert.ToHexStringLower(ReadExactly(source, 32, "header", header));
        var nameLength = ReadExactly(source, 1, "header", header)[0];
        var configName = Encoding.UTF8.GetString(ReadExactly(source, nameLength, "header", header));
        var payloadLength = BinaryPrimitives.ReadInt64LittleEndian(ReadExactly(source, 8, "header", header));
        var storedChecksum = ReadExactly(source, 32, "header", sink: null);
        if (payloadLength < 0 || payloadLength > MaxPayloadLength)
        {
            throw new CheckpointException(CheckpointFailure.Corrupted, $"checkpoint is corrupted: impossible payload length {payloadLength}");
        }

        var payload = ReadExactly(source, (int)payloadLength, "payload", sink: null);
        if (!CryptographicOperations.FixedTimeEquals(Checksum(header.ToArray(), payload), storedChecksum))
        {
            throw new CheckpointException(CheckpointFailure.Corrupted, "checkpoint is corrupted: SHA-256 checksum does not match its contents");
        }

        if (!string.Equals(specHash, expectedSpecHash, StringComparison.OrdinalIgnoreCase))
        {
            throw new CheckpointException(
                CheckpointFailure.WrongRun,
                $"checkpoint belongs to another run: it was made for '{configName}' (spec {specHash}), this run is '{expectedConfigName}' (spec {expectedSpecHash})");
        }

        return payload;
    }

    private static byte[] ReadExactly(Stream source, int count, string part, MemoryStream? sink, bool allowEmpty = false)
    {
        var buffer = new byte[count];
        var read = source.ReadAtLeast(buffer, count, throwOnEndOfStream: false);
        if (read < count)
        {
            var message = allowEmpty && read == 0
                ? "checkpoint is empty (0 bytes)"
                : $"checkpoint is truncated: its {part} ends after {read} of {count} bytes";
            throw new CheckpointException(CheckpointFailure.Truncated, message);
        }

        sink?.Write(buffer);
        return buffer;
    }

    private static byte[] Checksum(byte[] header, ReadOnlySpan<byte> payload)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(header);
        hash.AppendData(payload);
        return hash.GetHashAndReset();
    }

    private static byte[] Int32Le(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        return bytes;
    }

    private static byte[] Int64Le(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        return bytes;
    }
}
