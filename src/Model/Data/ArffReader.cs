using System.Text;

namespace LearnedActivation.Model.Data;

/// <summary>
/// Reads dense ARFF (the format OpenML serves): <c>@relation</c>, <c>@attribute NAME TYPE</c> with TYPE
/// numeric, real, integer or a nominal set <c>{a,b}</c> (names and values may be quoted), then <c>@data</c>
/// with one comma-separated row per line. <c>%</c> starts a comment line. <c>?</c> (missing) is rejected,
/// naming the line and column; sparse rows (<c>{0 1.5, 3 2}</c>) are rejected too.
/// </summary>
/// <remarks>
/// Features must be numeric attributes; the target may be nominal, numeric or string. Validation and label
/// mapping are the same as for CSV (see <see cref="BinaryLabelRule"/>).
/// </remarks>
public static class ArffReader
{
    private const int CancellationCheckInterval = 8192;

    /// <param name="path">The ARFF file (plain or gzip).</param>
    /// <param name="targetColumn">The attribute to predict.</param>
    /// <param name="ignoredColumns">Attributes to drop (OpenML's row id and ignore attributes).</param>
    /// <param name="source">What <see cref="TabularData.Source"/> says; the full path when null.</param>
    /// <param name="limits">What the reader accepts before it refuses the file; <see cref="DataLimits.Default"/> when null.</param>
    /// <param name="cancellationToken">Checked every few thousand rows.</param>
    public static TabularData Read(
        string path,
        string targetColumn,
        IReadOnlyCollection<string>? ignoredColumns = null,
        string? source = null,
        DataLimits? limits = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentException.ThrowIfNullOrWhiteSpace(targetColumn);
        limits ??= DataLimits.Default;
        using var lines = DataFile.Open(path, limits);
        var attributes = ReadHeader(lines, path, limits);
        if (attributes.Count == 0)
        {
            throw new DataException($"{path}: no @attribute lines before @data");
        }

        var names = attributes.Select(a => a.Name).ToArray();
        var builder = new TableBuilder(path, source ?? Path.GetFullPath(path), names, targetColumn, limits, ignoredColumns);
        var targetIndex = Array.IndexOf(names, targetColumn);
        CheckFeatureTypes(path, attributes, targetIndex, ignoredColumns);
        var targetValues = attributes[targetIndex].NominalValues?.GetAlternateLookup<ReadOnlySpan<char>>();
        var fields = new List<string>();

        while (lines.ReadLine() is { } line)
        {
            var lineNumber = lines.LineNumber;
            if (lineNumber % CancellationCheckInterval == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var text = line.AsSpan().Trim();
            if (text.IsEmpty || text[0] == '%')
            {
                continue;
            }

            if (text[0] == '{')
            {
                throw new DataException($"{path}: line {lineNumber}: sparse ARFF rows are not supported; write the data as dense rows");
            }

            builder.BeginRow(lineNumber);
            if (text.IndexOfAny('\'', '"') < 0)
            {
                // Fast path: no quoting, so fields are plain slices of the line.
                var column = 0;
                var rest = text;
                while (true)
                {
                    var comma = rest.IndexOf(',');
                    var field = comma < 0 ? rest : rest[..comma];
                    AddField(builder, field, column++, targetIndex, targetValues, attributes, path, lineNumber);
                    if (comma < 0)
                    {
                        break;
                    }

                    rest = rest[(comma + 1)..];
                }
            }
            else
            {
                fields.Clear();
                SplitQuoted(text, fields, path, lineNumber);
                for (var column = 0; column < fields.Count; column++)
                {
                    AddField(builder, fields[column], column, targetIndex, targetValues, attributes, path, lineNumber);
                }
            }

            builder.EndRow();
        }

        return builder.Build();
    }

    private static void AddField(
        TableBuilder builder,
        ReadOnlySpan<char> field,
        int column,
        int targetIndex,
        HashSet<string>.AlternateLookup<ReadOnlySpan<char>>? targetValues,
        List<ArffAttribute> attributes,
        string path,
        long lineNumber)
    {
        var value = field.Trim();
        if (column == targetIndex && targetValues is { } allowed && value is not "?" && !value.IsEmpty && !allowed.Contains(value))
        {
            throw new DataException(
                $"{path}: line {lineNumber}, column {DataFile.Quote(attributes[column].Name)}: value {DataFile.Quote(value)} is not one of the declared values {DataFile.Quote("{" + string.Join(",", attributes[column].DeclaredValues!) + "}")}");
        }

        builder.AddCell(value);
    }

    private static List<ArffAttribute> ReadHeader(DataLines lines, string path, DataLimits limits)
    {
        var attributes = new List<ArffAttribute>();
        while (lines.ReadLine() is { } line)
        {
            var lineNumber = lines.LineNumber;
            var text = line.AsSpan().Trim();
            if (text.IsEmpty || text[0] == '%')
            {
                continue;
            }

            if (StartsWithKeyword(text, "@relation"))
            {
                continue;
            }

            if (StartsWithKeyword(text, "@attribute"))
            {
                attributes.Add(ParseAttribute(text["@attribute".Length..].Trim(), path, lineNumber));
                TableBuilder.CheckColumnCount(path, attributes.Count, limits);
                continue;
            }

            if (StartsWithKeyword(text, "@data"))
            {
                return attributes;
            }

            throw new DataException($"{path}: line {lineNumber}: expected @relation, @attribute or @data, found {DataFile.Quote(text)}");
        }

        throw new DataException(lines.LineNumber <= 1 && attributes.Count == 0
            ? $"{path}: file is empty (an ARFF header is required)"
            : $"{path}: no @data line after the {attributes.Count} attribute(s)");
    }

    private static ArffAttribute ParseAttribute(ReadOnlySpan<char> text, string path, long lineNumber)
    {
        string name;
        ReadOnlySpan<char> rest;
        if (text.Length > 0 && text[0] is '\'' or '"')
        {
            var end = ClosingQuote(text, 0);
            if (end < 0)
            {
                throw new DataException($"{path}: line {lineNumber}: attribute name {DataFile.Quote(text)} has no closing quote");
            }

            name = Unescape(text[1..end]);
            rest = text[(end + 1)..].Trim();
        }
        else
        {
            var end = text.IndexOfAny(" \t{");
            if (end <= 0)
            {
                throw new DataException($"{path}: line {lineNumber}: @attribute needs a name and a type");
            }

            name = text[..end].ToString();
            rest = text[end..].Trim();
        }

        if (rest.IsEmpty)
        {
            throw new DataException($"{path}: line {lineNumber}, attribute {DataFile.Quote(name)}: no type given");
        }

        if (rest[0] == '{')
        {
            var close = rest.LastIndexOf('}');
            if (close < 0)
            {
                throw new DataException($"{path}: line {lineNumber}, attribute {DataFile.Quote(name)}: nominal values have no closing '}}'");
            }

            var values = new List<string>();
            SplitQuoted(rest[1..close], values, path, lineNumber);
            return new ArffAttribute(name, ArffType.Nominal, [.. values.Select(v => v.Trim())]);
        }

        var keyword = rest;
        var space = keyword.IndexOfAny(" \t");
        if (space > 0)
        {
            keyword = keyword[..space];
        }

        if (keyword.Equals("numeric", StringComparison.OrdinalIgnoreCase)
            || keyword.Equals("real", StringComparison.OrdinalIgnoreCase)
            || keyword.Equals("integer", StringComparison.OrdinalIgnoreCase))
        {
            return new ArffAttribute(name, ArffType.Numeric, null);
        }

        if (keyword.Equals("string", StringComparison.OrdinalIgnoreCase))
        {
            return new ArffAttribute(name, ArffType.String, null);
        }

        return new ArffAttribute(name, ArffType.Other, null, keyword.ToString());
    }

    private static void CheckFeatureTypes(string path, List<ArffAttribute> attributes, int targetIndex, IReadOnlyCollection<string>? ignored)
    {
        for (var c = 0; c < attributes.Count; c++)
        {
            var attribute = attributes[c];
            if (ignored is not null && ignored.Contains(attribute.Name))
            {
                continue;
            }

            if (c == targetIndex)
            {
                if (attribute.Type == ArffType.Other)
                {
                    throw new DataException($"{path}: target attribute {DataFile.Quote(attribute.Name)} has type {DataFile.Quote(attribute.TypeName)}; a target must be nominal, numeric or string");
                }

                continue;
            }

            if (attribute.Type != ArffType.Numeric)
            {
                var type = attribute.Type switch
                {
                    ArffType.Nominal => "nominal",
                    ArffType.String => "string",
                    _ => DataFile.Quote(attribute.TypeName),
                };
                throw new DataException($"{path}: feature attribute {DataFile.Quote(attribute.Name)} is {type}; only numeric (numeric, real, integer) features are supported");
            }
        }
    }

    /// <summary>Splits on commas outside quotes; quoted fields lose their quotes and backslash escapes.</summary>
    private static void SplitQuoted(ReadOnlySpan<char> text, List<string> fields, string path, long lineNumber)
    {
        var position = 0;
        while (true)
        {
            while (position < text.Length && char.IsWhiteSpace(text[position]))
            {
                position++;
            }

            string field;
            int next;
            if (position < text.Length && text[position] is '\'' or '"')
            {
                var end = ClosingQuote(text, position);
                if (end < 0)
                {
                    throw new DataException($"{path}: line {lineNumber}: quoted value {DataFile.Quote(text[position..])} has no closing quote");
                }

                field = Unescape(text[(position + 1)..end]);
                var comma = text[(end + 1)..].IndexOf(',');
                next = comma < 0 ? -1 : end + 1 + comma;
            }
            else
            {
                var comma = text[position..].IndexOf(',');
                next = comma < 0 ? -1 : position + comma;
                field = (next < 0 ? text[position..] : text[position..next]).Trim().ToString();
            }

            fields.Add(field);
            if (next < 0)
            {
                return;
            }

            position = next + 1;
        }
    }

    private static int ClosingQuote(ReadOnlySpan<char> text, int open)
    {
        var quote = text[open];
        for (var i = open + 1; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == quote)
            {
                return i;
            }
        }

        return -1;
    }

    private static string Unescape(ReadOnlySpan<char> quoted)
    {
        if (quoted.IndexOf('\\') < 0)
        {
            return quoted.ToString();
        }

        var result = new StringBuilder(quoted.Length);
        for (var i = 0; i < quoted.Length; i++)
        {
            if (quoted[i] == '\\' && i + 1 < quoted.Length)
            {
                i++;
            }

            result.Append(quoted[i]);
        }

        return result.ToString();
    }

    private static bool StartsWithKeyword(ReadOnlySpan<char> text, string keyword) =>
        text.StartsWith(keyword, StringComparison.OrdinalIgnoreCase)
        && (text.Length == keyword.Length || char.IsWhiteSpace(text[keyword.Length]));

    private enum ArffType
    {
        Numeric,
        Nominal,
        String,
        Other,
    }

    private sealed class ArffAttribute(string name, ArffType type, string[]? nominalValues, string typeName = "")
    {
        public string Name { get; } = name;

        public ArffType Type { get; } = type;

        /// <summary>The declared nominal values in file order (for messages), or null.</summary>
        public string[]? DeclaredValues { get; } = nominalValues;

        public HashSet<string>? NominalValues { get; } = nominalValues is null ? null : new HashSet<string>(nominalValues, StringComparer.Ordinal);

        public string TypeName { get; } = typeName;
    }
}
