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
    private const int MaxColumnsListed = 30;

    private readonly string _file;
    private readonly string _source;
    private readonly IReadOnlyList<string> _columns;
    private readonly string _targetName;
    private readonly string[] _featureNames;

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

    public TableBuilder(string file, string source, IReadOnlyList<string> columns, string targetName, IReadOnlyCollection<string>? ignoredColumns = null)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(targetName);
        _file = file;
        _source = source;
        _columns = columns;
        _targetName = targetName;
        CheckColumnNames();

        var targetIndex = IndexOf(columns, targetName);
        if (targetIndex < 0)
        {
            var similar = columns.FirstOrDefault(c => string.Equals(c, targetName, StringComparison.OrdinalIgnoreCase));
            var hint = similar is null ? "" : $" (did you mean '{similar}'?)";
            throw new DataException($"{file}: target column '{targetName}' not found{hint}; available columns: {ListColumns(columns)}");
        }

        if (ignoredColumns is not null && ignoredColumns.Contains(targetName))
        {
            throw new DataException($"{file}: target column '{targetName}' is also marked as ignored");
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
            throw new DataException($"{file}: no feature columns besides the target '{targetName}'");
        }

        _featureNames = [.. features];
        _firstValues = new float[_featureNames.Length];
        _varies = new bool[_featureNames.Length];
        _features = new float[_featureNames.Length * 4096];
        _classOfRow = new byte[4096];
        _classLookup = _classes.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The columns as the file declares them (features, target and ignored ones).</summary>
    public IReadOnlyList<string> Columns => _columns;

    /// <summary>Starts a data row; <paramref name="line"/> is the 1-based line of the file, used in messages.</summary>
    public void BeginRow(long line)
    {
        _line = line;
        _column = 0;
        _rowFeatureStart = _rows * _featureNames.Length;
        if (_rowFeatureStart + _featureNames.Length > _features.Length)
        {
            Array.Resize(ref _features, _features.Length * 2);
        }

        if (_rows == _classOfRow.Length)
        {
            Array.Resize(ref _classOfRow, _classOfRow.Length * 2);
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
                ? $"no value for column '{_columns[_column]}'"
                : $"more fields than columns after '{_columns[^1]}'";
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
            var names = string.Join(", ", constant.Select(f => $"'{_featureNames[f]}' (always {_firstValues[f].ToString(CultureInfo.InvariantCulture)})"));
            throw new DataException($"{_file}: constant feature column{(constant.Count > 1 ? "s" : "")} {names}; a constant column carries no information, remove it");
        }

        if (_classNames.Count < 2)
        {
            throw OneClass($"'{_classNames[0]}'");
        }

        var mapping = BinaryLabelRule.Choose(_classNames[0], _classNames[1])
            ?? throw OneClass($"'{_classNames[0]}' and '{_classNames[1]}' are the same number");
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
                $"third distinct target value {DataFile.Quote(text)} after '{_classNames[0]}' and '{_classNames[1]}'; binary classification needs exactly two classes");
        }

        var name = text.ToString();
        index = (byte)_classNames.Count;
        _classes.Add(name, index);
        _classNames.Add(name);
        return index;
    }

    private DataException OneClass(string values) =>
        new($"{_file}: target column '{_targetName}' has one class only ({values}) in {_rows} rows; binary classification needs two");

    private DataException CellError(int column, string problem) =>
        new($"{_file}: line {_line}, column '{_columns[column]}': {problem}");

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
                throw new DataException($"{_file}: duplicate column name '{name}' (columns {seen[name] + 1} and {c + 1})");
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

    private static string ListColumns(IReadOnlyList<string> columns)
    {
        var shown = string.Join(", ", columns.Take(MaxColumnsListed));
        return columns.Count > MaxColumnsListed ? $"{shown}, ... ({columns.Count} in all)" : shown;
    }
}
