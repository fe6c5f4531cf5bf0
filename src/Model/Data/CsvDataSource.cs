namespace LearnedActivation.Model.Data;

/// <summary>
/// A local comma-separated file, plain or gzip-compressed (detected from the first bytes, whatever the
/// extension). The first line names the columns; every column except the target must hold finite numbers
/// (invariant culture). No quoting; whitespace around fields is ignored; blank lines are skipped.
/// </summary>
/// <remarks>
/// The target must have exactly two distinct values; which one becomes 1 follows <see cref="BinaryLabelRule"/>
/// (numbers: the larger; else a known positive word such as true/yes/up/P; else the ordinally larger string)
/// and is reported in <see cref="TabularData.Mapping"/>.
/// </remarks>
public sealed class CsvDataSource : IDataSource
{
    private const char Separator = ',';
    private const int CancellationCheckInterval = 8192;

    /// <param name="path">The file.</param>
    /// <param name="targetColumn">The column to predict.</param>
    /// <param name="limits">What the reader accepts before it refuses the file; <see cref="DataLimits.Default"/> when null.</param>
    public CsvDataSource(string path, string targetColumn, DataLimits? limits = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentException.ThrowIfNullOrWhiteSpace(targetColumn);
        Path = path;
        TargetColumn = targetColumn;
        Limits = limits ?? DataLimits.Default;
    }

    public string Path { get; }

    public string TargetColumn { get; }

    public DataLimits Limits { get; }

    public string Description => $"{Path} [{TargetColumn}]";

    /// <summary>Parsing is CPU-bound; it runs on the thread pool so callers on a UI or grain thread stay responsive.</summary>
    public Task<TabularData> LoadAsync(CancellationToken cancellationToken = default) =>
        Task.Run(() => Load(cancellationToken), cancellationToken);

    /// <summary>Reads and validates the whole file; throws <see cref="DataException"/> with a one-line message on bad input.</summary>
    public TabularData Load(CancellationToken cancellationToken = default)
    {
        using var lines = DataFile.Open(Path, Limits);
        string? header;
        do
        {
            header = lines.ReadLine();
        }
        while (header is not null && string.IsNullOrWhiteSpace(header));

        if (header is null)
        {
            throw new DataException($"{Path}: file is empty (a header line naming the columns is required)");
        }

        var columns = TableBuilder.SplitHeader(Path, header, Separator, Limits);
        var builder = new TableBuilder(Path, System.IO.Path.GetFullPath(Path), columns, TargetColumn, Limits);

        while (lines.ReadLine() is { } line)
        {
            var lineNumber = lines.LineNumber;
            if (lineNumber % CancellationCheckInterval == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var rest = line.AsSpan();
            if (rest.IsWhiteSpace())
            {
                continue;
            }

            builder.BeginRow(lineNumber);
            while (true)
            {
                var comma = rest.IndexOf(Separator);
                if (comma < 0)
                {
                    builder.AddCell(rest);
                    break;
                }

                builder.AddCell(rest[..comma]);
                rest = rest[(comma + 1)..];
            }

            builder.EndRow();
        }

        return builder.Build();
    }
}
