using System.Globalization;
using System.Text;

namespace LearnedActivation.Model.Data;

/// <summary>
/// The lines of an opened data file (see <see cref="DataFile.Open"/>). Unlike <see cref="StreamReader.ReadLine"/>,
/// which keeps reading until it finds a line break however far away, it refuses a line longer than its limit as
/// soon as the limit is passed, so a file without line breaks costs at most that many characters of memory.
/// </summary>
internal sealed class DataLines : IDisposable
{
    private readonly StreamReader _reader;
    private readonly string _path;
    private readonly int _maxLineLength;
    private readonly char[] _buffer = new char[DataFile.BufferSize];
    private readonly StringBuilder _long = new();
    private int _position;
    private int _length;

    public DataLines(StreamReader reader, string path, int maxLineLength)
    {
        _reader = reader;
        _path = path;
        _maxLineLength = maxLineLength;
    }

    /// <summary>The 1-based number of the line <see cref="ReadLine"/> returned last.</summary>
    public long LineNumber { get; private set; }

    /// <summary>The next line without its line break ("\n" or "\r\n"), or null at the end of the file.</summary>
    public string? ReadLine()
    {
        LineNumber++;
        _long.Clear();
        var readAny = false;
        while (true)
        {
            if (_position == _length && !Fill())
            {
                return readAny ? Finish(ReadOnlySpan<char>.Empty) : null;
            }

            readAny = true;
            var available = _buffer.AsSpan(_position, _length - _position);
            var end = available.IndexOf('\n');
            if (end >= 0)
            {
                _position += end + 1;
                return Finish(available[..end]);
            }

            Append(available);
            _position = _length;
        }
    }

    public void Dispose() => _reader.Dispose();

    private string Finish(ReadOnlySpan<char> tail)
    {
        string line;
        if (_long.Length == 0)
        {
            CheckLength(tail.Length);
            line = new string(tail);
        }
        else
        {
            Append(tail);
            line = _long.ToString();
        }

        // A NUL never appears in text: the file is binary (or /proc/self/environ), and none of it is worth quoting.
        if (line.Contains('\0', StringComparison.Ordinal))
        {
            throw new DataException($"{_path}: line {LineNumber} holds a NUL character: not a text data file");
        }

        return line.EndsWith('\r') ? line[..^1] : line;
    }

    private void Append(ReadOnlySpan<char> part)
    {
        CheckLength(_long.Length + part.Length);
        _long.Append(part);
    }

    private void CheckLength(int length)
    {
        // One more than the limit for the '\r' of a "\r\n" line end.
        if (length > _maxLineLength + 1)
        {
            throw new DataException(string.Create(
                CultureInfo.InvariantCulture,
                $"{_path}: line {LineNumber} is longer than {_maxLineLength} characters, the limit (is it a text file with line breaks?); {DataLimits.Raise(nameof(DataLimits.MaxLineLength))}"));
        }
    }

    private bool Fill()
    {
        try
        {
            _length = _reader.Read(_buffer, 0, _buffer.Length);
        }
        catch (InvalidDataException e)
        {
            throw new DataException($"{_path}: line {LineNumber}: the file is not valid gzip ({DataFile.OneLine(e.Message)})", e);
        }
        catch (IOException e)
        {
            throw new DataException($"{_path}: line {LineNumber}: read failed ({DataFile.OneLine(e.Message)})", e);
        }

        _position = 0;
        return _length > 0;
    }
}
