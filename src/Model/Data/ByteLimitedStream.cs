namespace LearnedActivation.Model.Data;

/// <summary>
/// A read-only view of a stream that throws once more than a set number of bytes has been read through it:
/// on top of a <see cref="System.IO.Compression.GZipStream"/> it stops a gzip bomb after that many inflated bytes.
/// </summary>
internal sealed class ByteLimitedStream(Stream inner, long limit, Func<Exception> tooMany) : Stream
{
    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        // Never asks for more than one byte past the limit: that byte proves the limit was passed.
        var room = limit + 1 - _read;
        var read = inner.Read(room < buffer.Length ? buffer[..(int)room] : buffer);
        _read += read;
        if (_read > limit)
        {
            throw tooMany();
        }

        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
