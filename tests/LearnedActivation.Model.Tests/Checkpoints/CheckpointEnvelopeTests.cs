using System.Security.Cryptography;
using LearnedActivation.Model.Checkpoints;

namespace LearnedActivation.Model.Tests.Checkpoints;

public sealed class CheckpointEnvelopeTests
{
    private static readonly string SpecHash = Convert.ToHexStringLower(SHA256.HashData("spec"u8));

    [Fact]
    public void PayloadRoundTripsThroughANonSeekableStream()
    {
        var payload = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();
        using var buffer = new MemoryStream();
        CheckpointEnvelope.Write(buffer, SpecHash, "tanh_small_small", payload);

        var read = CheckpointEnvelope.Read(new ForwardOnlyStream(buffer.ToArray()), SpecHash, "tanh_small_small");

        Assert.Equal(payload, read);
    }

    [Fact]
    public void HeaderLayoutIsAsDocumented()
    {
        using var buffer = new MemoryStream();
        CheckpointEnvelope.Write(buffer, SpecHash, "abc", [1, 2, 3]);
        var bytes = buffer.ToArray();

        Assert.Equal("LACKPT\r\n"u8.ToArray(), bytes[..8]);
        Assert.Equal(CheckpointEnvelope.FormatVersion, BitConverter.ToInt32(bytes, 8));
        Assert.Equal(SpecHash, Convert.ToHexStringLower(bytes[12..44]));
        Assert.Equal(3, bytes[44]);
        Assert.Equal("abc"u8.ToArray(), bytes[45..48]);
        Assert.Equal(3L, BitConverter.ToInt64(bytes, 48));
        Assert.Equal(SHA256.HashData([.. bytes[..56], 1, 2, 3]), bytes[56..88]);
        Assert.Equal([1, 2, 3], bytes[88..]);
    }

    [Fact]
    public void AnImpossiblePayloadLengthIsCorruptionNotAnAllocation()
    {
        using var buffer = new MemoryStream();
        CheckpointEnvelope.Write(buffer, SpecHash, "abc", [1, 2, 3]);
        var bytes = buffer.ToArray();
        BitConverter.GetBytes(long.MaxValue).CopyTo(bytes, 48);

        var error = Assert.Throws<CheckpointException>(() => CheckpointEnvelope.Read(new MemoryStream(bytes), SpecHash, "abc"));

        Assert.Equal(CheckpointFailure.Corrupted, error.Failure);
    }

    /// <summary>A stream that can only be read forwards, in small pieces, like a network or blob download.</summary>
    private sealed class ForwardOnlyStream(byte[] data) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(count, 7), data.Length - _position);
            Array.Copy(data, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush() => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
