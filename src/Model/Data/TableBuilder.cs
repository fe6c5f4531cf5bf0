using System.Globalization;

namespace LearnedActivation.Model.Data;

/// <summary>
/// The one place where parsed cells become a validated <see cref="TabularData"/>: CSV and ARFF readers only
/// split lines into cells and hand them here, so numeric parsing, missing values, ragged rows, constant
/// columns, class count and label mapping are checked the same way for every format.
/// </summary>
/// <remarks>
/// Use: <see cref="BeginRow"/>, one <see cref="AddCell"/> per field in column order, <see cref="EndRow"/>;
/// then <see cref="Build"/>. Every failure is a one-line <see cref="DataException"/> that starts with the file.
/// </remarks>
internal sealed class TableBuilder
{
    private const int TargetRole = -1;
    private const int IgnoredRole = -2;
    private const int MaxColumnsListed = 5;
    private const int InitialRows = 4096;

    private readonly string _file;
    private readonly string _source;
    private readonly IReadOnlyList<string> _columns;
    private readonly string _targetName;
    private readonly string[] _featureNames;
    private readonly DataLimits _limits;

    // For each column: its feature index, or TargetRole / IgnoredRole.
    private readonly int[] _role;
    private readonly float[] _firstValues;
    private readonly bool[] _varies;

    // Distinct raw target values in order of first appearance; a binary target never has more than two.
    private readonly Dictionary<string, byte> _classes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte>.AlternateLookup<ReadOnlySpan<char>> _classLookup;
    private readonly List<string> _classNames = new(2);

    private float[] _features;
    private byte[] _classOfRow;
    private int _rows;
    private long _line;
    private int _column;
    private int _rowFeatureStart;

    public TableBuilder(string file, string source, IReadOnlyList<string> columns, string targetName, DataLimits limits, IReadOnlyCollection<string>? ignoredColumns = null)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(targetName);
        ArgumentNullException.ThrowIfNull(limits);
        _file = file;
        _source = source;
        _columns = columns;
        _targetName = targetName;
        _limits = limits;
        CheckColumnCount(file, columns.Count, limits);
        CheckColumnNames();

        var targetIndex = IndexOf(columns, targetName);
        if (targetIndex < 0)
        {
            var similar = columns.FirstOrDefault(c => string.Equals(c, targetName, StringComparison.OrdinalIgnoreCase));
            var hint = similar is null ? "" : $" (did you mean {DataFile.Quote(similar)}?)";
            throw new DataException($"{file}: target column {DataFile.Quote(targetName)} not found{hint}; the header has {ListColumns(columns)}");
        }

        if (ignoredColumns is not null && ignoredColumns.Contains(targetName))
        {
            throw new DataException($"{file}: target column {DataFile.Quote(targetName)} is also marked as ignored");
        }

        _role = new int[columns.Count];
        var features = new List<string>(columns.Count);
        for (var c = 0; c < columns.Count; c++)
        {
            if (c == targetIndex)
            {
                _role[c] = TargetRole;
            }
            else if (ignoredColumns is not null && ignoredColumns.Contains(columns[c]))
            {
                _role[c] = IgnoredRole;
            }
            else
            {
                _role[c] = features.Count;
                features.Add(columns[c]);
            }
        }

        if (features.Count == 0)
        {
            throw new DataException($"{file}: no feature columns besides the target {DataFile.Quote(targetName)}");
        }

        _featureNames = [.. features];
        _firstValues = new float[_featureNames.Length];
        _varies = new bool[_featureNames.Length];
        var initialRows = (int)Math.Min(InitialRows, Math.Min(limits.MaxRows, Math.Max(1, limits.MaxValues / _featureNames.Length)));
        _features = new float[_featureNames.Length * initialRows];
        _classOfRow = new byte[initialRows];
        _classLookup = _classes.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The columns as the file declares them (features, target and ignored ones).</summary>
    public IReadOnlyList<string> Columns => _columns;

    /// <summary>Starts a data row; <paramref name="line"/> is the 1-based line of the file, used in messages.</summary>
    public void BeginRow(long line)
    {
        _line = line;
        _column = 0;
        if (_rows == _limits.MaxRows)
        {
            throw new DataException(string.Create(
                CultureInfo.InvariantCulture,
                $"{_file}: line {line}: more than {_limits.MaxRows} data rows, the limit; {DataLimits.Raise(nameof(DataLimits.MaxRows))}"));
        }

        var width = _featureNames.Length;
        if ((long)(_rows + 1) * width > _limits.MaxValues)
        {
            throw new DataException(string.Create(
                CultureInfo.InvariantCulture,
                $"{_file}: line {line}: more than {_limits.MaxValues} feature values ({_rows} rows x {width} features), the limit; {DataLimits.Raise(nameof(DataLimits.MaxValues))}"));
        }

        _rowFeatureStart = _rows * width;
        if (_rowFeatureStart + width > _features.Length)
        {
            // Doubling, but never past the limit: the table never holds more than MaxValues values.
            var rows = Math.Min((long)_features.Length / width * 2, Math.Min(_limits.MaxRows, _limits.MaxValues / width));
            Array.Resize(ref _features, (int)(rows * width));
        }

        if (_rows == _classOfRow.Length)
        {
            Array.Resize(ref _classOfRow, (int)Math.Min((long)_classOfRow.Length * 2, _limits.MaxRows));
        }
    }

    /// <summary>Adds the next field of the current row; surrounding whitespace is ignored.</summary>
    public void AddCell(ReadOnlySpan<char> cell)
    {
        var column = _column++;
        if (column >= _role.Length)
        {
            return; // Counted; EndRow reports the ragged row with its full field count.
        }

        var role = _role[column];
        if (role == IgnoredRole)
        {
            return;
        }

        var text = cell.Trim();
        if (text.IsEmpty)
        {
            throw CellError(column, "is empty");
        }

        if (text is "?")
        {
            throw CellError(column, "is missing ('?')");
        }

        if (role == TargetRole)
        {
            _classOfRow[_rows] = ClassOf(text, column);
            return;
        }

        if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            throw CellError(column, $"value {DataFile.Quote(text)} is not a number");
        }

        if (!float.IsFinite(value))
        {
            throw CellError(column, $"value {DataFile.Quote(text)} is not a finite float32 number");
        }

        if (_rows == 0)
        {
            _firstValues[role] = value;
        }
        else if (!_varies[role] && value != _firstValues[role])
        {
            _varies[role] = true;
        }

        _features[_rowFeatureStart + role] = value;
    }

    /// <summary>Ends the current row; rejects it when it had more or fewer fields than there are columns.</summary>
    public void EndRow()
    {
        if (_column != _role.Length)
        {
            var detail = _column < _role.Length
                ? $"no value for column {DataFile.Quote(_columns[_column])}"
                : $"more fields than columns after {DataFile.Quote(_columns[^1])}";
            throw new DataException($"{_file}: line {_line} has {_column} fields, expected {_role.Length} ({detail})");
        }

        _rows++;
    }

    /// <summary>Checks what only the whole table shows (rows present, no constant column, two classes) and maps labels.</summary>
    public TabularData Build()
    {
        if (_rows == 0)
        {
            throw new DataException($"{_file}: no data rows (a header and at least one row are required)");
        }

        var constant = Enumerable.Range(0, _featureNames.Length).Where(f => !_varies[f]).ToList();
        if (constant.Count > 0)
        {
            var names = string.Join(", ", constant.Take(MaxColumnsListed).Select(f => $"{DataFile.Quote(_featureNames[f])} (always {_firstValues[f].ToString(CultureInfo.InvariantCulture)})"));
            var more = constant.Count > MaxColumnsListed ? $", ... ({constant.Count} in all)" : string.Empty;
            throw new DataException($"{_file}: constant feature column{(constant.Count > 1 ? "s" : "")} {names}{more}; a constant column carries no information, remove it");
        }

        if (_classNames.Count < 2)
        {
            throw OneClass(DataFile.Quote(_classNames[0]));
        }

        var mapping = BinaryLabelRule.Choose(_classNames[0], _classNames[1])
            ?? throw OneClass($"{DataFile.Quote(_classNames[0])} and {DataFile.Quote(_classNames[1])} are the same number");
        var positiveClass = _classNames[0] == mapping.Positive ? 0 : 1;

        var labels = new float[_rows];
        for (var r = 0; r < _rows; r++)
        {
            labels[r] = _classOfRow[r] == positiveClass ? 1f : 0f;
        }

        var features = _features.Length == _rows * _featureNames.Length ? _features : _features[..(_rows * _featureNames.Length)];
        return new TabularData(_source, _featureNames, _targetName, features, labels, mapping);
    }

    private byte ClassOf(ReadOnlySpan<char> text, int column)
    {
        if (_classLookup.TryGetValue(text, out var index))
        {
            return index;
        }

        if (_classNames.Count == 2)
        {
            throw CellError(
                column,
                $"third distinct target value {DataFile.Quote(text)} after {DataFile.Quote(_classNames[0])} and {DataFile.Quote(_classNames[1])}; binary classification needs exactly two classes");
        }

        var name = text.ToString();
        index = (byte)_classNames.Count;
        _classes.Add(name, index);
        _classNames.Add(name);
        return index;
    }

    private DataException OneClass(string values) =>
        new($"{_file}: target column {DataFile.Quote(_targetName)} has one class only ({values}) in {_rows} rows; binary classification needs two");

    private DataException CellError(int column, string problem) =>
        new($"{_file}: line {_line}, column {DataFile.Quote(_columns[column])}: {problem}");

    private void CheckColumnNames()
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var c = 0; c < _columns.Count; c++)
        {
            var name = _columns[c];
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new DataException($"{_file}: column {c + 1} has an empty name");
            }

            if (!seen.TryAdd(name, c))
            {
                throw new DataException($"{_file}: duplicate column name {DataFile.Quote(name)} (columns {seen[name] + 1} and {c + 1})");
            }
        }
    }

    private static int IndexOf(IReadOnlyList<string> columns, string name)
    {
        for (var c = 0; c < columns.Count; c++)
        {
            if (string.Equals(columns[c], name, StringComparison.Ordinal))
            {
                return c;
            }
        }

        return -1;
    }

    /// <summary>
    /// "3 columns: 'a', 'b', 'c'": a few names, each escaped and cut short. Never the whole header: read from a file
    /// that is not a table (<c>/proc/self/environ</c>), the "names" are its content, and messages reach logs and status.
    /// </summary>
    private static string ListColumns(IReadOnlyList<string> columns)
    {
        var shown = string.Join(", ", columns.Take(MaxColumnsListed).Select(c => DataFile.Quote(c)));
        var count = columns.Count == 1 ? "1 column" : $"{columns.Count} columns";
        return columns.Count > MaxColumnsListed ? $"{count}, starting {shown}, ..." : $"{count}: {shown}";
    }

    /// <summary>Splits a header line into trimmed column names, refusing more than <see cref="DataLimits.MaxColumns"/> before it splits.</summary>
    public static string[] SplitHeader(string file, string header, char separator, DataLimits limits)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(limits);
        CheckColumnCount(file, header.AsSpan().Count(separator) + 1, limits);
        return header.Split(separator).Select(name => name.Trim()).ToArray();
    }

    /// <summary>Refuses a header (or an ARFF attribute list) with more than <see cref="DataLimits.MaxColumns"/> columns.</summary>
    public static void CheckColumnCount(string file, int columns, DataLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (columns > limits.MaxColumns)
        {
            throw new DataException(string.Create(
                CultureInfo.InvariantCulture,
                $"{file}: {columns} columns, more than the limit of {limits.MaxColumns}; {DataLimits.Raise(nameof(DataLimits.MaxColumns))}"));
        }
    }
}
