using System.Globalization;
using System.IO.Compression;
using System.Text;
using LearnedActivation.Model.IO;

namespace LearnedActivation.Model.Data;

/// <summary>
/// Opens a data file as lines of text, gunzipping it when its first bytes are the gzip magic number, within
/// <see cref="DataLimits"/>: only regular files are opened (a FIFO would block, <c>/dev/zero</c> never ends), no
/// line may exceed <see cref="DataLimits.MaxLineLength"/> and no more than <see cref="DataLimits.MaxBytes"/> of text
/// are read. Every refusal is a one-line <see cref="DataException"/> naming the file.
/// </summary>
internal static class DataFile
{
    // 64 KiB keeps the decoder busy without a per-line syscall; larger buffers measured no faster.
    internal const int BufferSize = 1 << 16;

    /// <summary>
    /// Opens <paramref name="path"/> for reading. Compression is detected from the content, not the
    /// extension, so a renamed ".csv" that is really gzip (or the reverse) still reads.
    /// </summary>
    public static DataLines Open(string path, DataLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        switch (UnixFile.KindOf(path))
        {
            case FileKind.Missing:
                throw new DataException($"{path}: file not found");
            case FileKind.Directory:
                throw new DataException($"{path}: is a directory, not a data file");
            case FileKind.Special:
                throw new DataException($"{path}: not a regular file (a device, FIFO or socket); data must be a regular CSV or ARFF file");
        }

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
            var gzip = read == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
            Stream content = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
            var limited = new ByteLimitedStream(content, limits.MaxBytes, () => TooManyBytes(path, limits.MaxBytes, gzip));
            var reader = new StreamReader(limited, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, BufferSize);
            return new DataLines(reader, path, limits.MaxLineLength);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Keeps user-facing messages to one line however the underlying message was written.</summary>
    public static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();

    /// <summary>Quotes a value read from a file for a message: escaped and cut short (see <see cref="Excerpt.Quote"/>).</summary>
    public static string Quote(ReadOnlySpan<char> value) => Excerpt.Quote(value);

    private static DataException TooManyBytes(string path, long limit, bool gzip)
    {
        var what = gzip ? "decompresses to more than" : "is larger than";
        return new DataException(string.Create(
            CultureInfo.InvariantCulture,
            $"{path}: {what} {limit} bytes of text, the limit; {DataLimits.Raise(nameof(DataLimits.MaxBytes))}"));
    }
}
