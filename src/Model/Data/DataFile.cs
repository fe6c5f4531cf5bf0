using System.IO.Compression;
using System.Text;

namespace LearnedActivation.Model.Data;

/// <summary>Opens a data file as text, gunzipping it when its first bytes are the gzip magic number.</summary>
internal static class DataFile
{
    // 64 KiB keeps the decoder busy without a per-line syscall; larger buffers measured no faster.
    private const int BufferSize = 1 << 16;

    /// <summary>
    /// Opens <paramref name="path"/> for reading. Compression is detected from the content, not the
    /// extension, so a renamed ".csv" that is really gzip (or the reverse) still reads.
    /// </summary>
    public static StreamReader OpenText(string path)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DataException($"{path}: file not found", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataException($"{path}: cannot open the file ({OneLine(e.Message)})", e);
        }

        try
        {
            Span<byte> magic = stackalloc byte[2];
            var read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
            file.Position = 0;
            Stream content = read == 2 && magic[0] == 0x1f && magic[1] == 0x8b
                ? new GZipStream(file, CompressionMode.Decompress)
                : file;
            return new StreamReader(content, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, BufferSize);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Reads the next line, turning a corrupt gzip stream into a one-line <see cref="DataException"/>.</summary>
    public static string? ReadLine(StreamReader reader, string path, long lineNumber)
    {
        try
        {
            return reader.ReadLine();
        }
        catch (InvalidDataException e)
        {
            throw new DataException($"{path}: line {lineNumber}: the file is not valid gzip ({OneLine(e.Message)})", e);
        }
        catch (IOException e)
        {
            throw new DataException($"{path}: line {lineNumber}: read failed ({OneLine(e.Message)})", e);
        }
    }

    /// <summary>Keeps user-facing messages to one line however the underlying message was written.</summary>
    public static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();

    /// <summary>Quotes a value for a message, cut short so one bad cell cannot flood the terminal.</summary>
    public static string Quote(ReadOnlySpan<char> value)
    {
        const int MaxShown = 40;
        return value.Length <= MaxShown ? $"'{value}'" : $"'{value[..MaxShown]}...'";
    }
}
