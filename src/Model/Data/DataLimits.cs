using System.Globalization;

namespace LearnedActivation.Model.Data;

/// <summary>
/// How much of a data file a reader accepts before it refuses the file (one line naming the file and the limit),
/// so that no input, however large or hostile, makes the process allocate more than a known bound. Configured
/// like the other settings, section <see cref="Section"/> ("Data:MaxRows", environment <c>LEARNACT_Data__MaxRows</c>).
/// </summary>
/// <remarks>
/// At the defaults a file is refused before the reader holds more than about 0.5 GB: the feature table is at most
/// <see cref="MaxValues"/> float32 values (200 MB), and growing it briefly holds the old and the new array; one line
/// is at most <see cref="MaxLineLength"/> characters. Splitting and standardising copy the table at most twice more,
/// so loading stays under about 1 GB in all.
/// </remarks>
public sealed record DataLimits
{
    public const string Section = "Data";

    public static DataLimits Default { get; } = new();

    /// <summary>Characters in one line (header included); a file with no line breaks (e.g. <c>/dev/zero</c>) stops here.</summary>
    public int MaxLineLength { get; init; } = 1 << 20;

    /// <summary>Columns of the header (or ARFF attributes).</summary>
    public int MaxColumns { get; init; } = 1_000;

    /// <summary>Data rows.</summary>
    public int MaxRows { get; init; } = 5_000_000;

    /// <summary>Feature values held in memory (rows x feature columns), 4 bytes each.</summary>
    public long MaxValues { get; init; } = 50_000_000;

    /// <summary>Bytes of text read, after decompression: bounds the time a file can take and any gzip bomb.</summary>
    public long MaxBytes { get; init; } = 2L << 30;

    /// <summary>The first limit that is not positive, as "Data:Name: must be positive (got N)"; null when all are.</summary>
    public string? FirstError()
    {
        var bad = MaxLineLength <= 0 ? (nameof(MaxLineLength), (long)MaxLineLength)
            : MaxColumns <= 0 ? (nameof(MaxColumns), MaxColumns)
            : MaxRows <= 0 ? (nameof(MaxRows), MaxRows)
            : MaxValues <= 0 ? (nameof(MaxValues), MaxValues)
            : MaxBytes <= 0 ? (nameof(MaxBytes), MaxBytes)
            : default((string, long)?);
        return bad is { } b ? string.Create(CultureInfo.InvariantCulture, $"{Section}:{b.Item1}: must be positive (got {b.Item2})") : null;
    }

    /// <summary>Names a limit and the setting that raises it, for the message of a file that exceeds it.</summary>
    internal static string Raise(string name) => $"raise it with {Section}:{name} (environment LEARNACT_{Section}__{name})";
}
