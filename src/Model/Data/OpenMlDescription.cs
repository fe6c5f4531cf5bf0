using System.Text.Json;

namespace LearnedActivation.Model.Data;

/// <summary>
/// The parts of an OpenML dataset description (<c>/api/v1/json/data/{id}</c>) the loader needs: where the
/// ARFF file is, its published MD5, which attribute is the target and which attributes to drop.
/// </summary>
public sealed record OpenMlDescription(
    int DataId,
    string Name,
    Uri Url,
    string Md5Checksum,
    string DefaultTargetAttribute,
    IReadOnlyList<string> IgnoredAttributes)
{
    /// <summary>Parses the JSON OpenML serves; throws <see cref="DataException"/> naming <paramref name="origin"/> when it is unusable.</summary>
    public static OpenMlDescription Parse(string json, int dataId, string origin)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            if (!document.RootElement.TryGetProperty("data_set_description", out var d) || d.ValueKind != JsonValueKind.Object)
            {
                throw Bad(origin, dataId, "no 'data_set_description' object");
            }

            var format = Text(d, "format");
            if (format is not null && !format.Equals("arff", StringComparison.OrdinalIgnoreCase))
            {
                throw Bad(origin, dataId, $"data format is '{format}'; only dense ARFF is supported");
            }

            var url = Text(d, "url") ?? throw Bad(origin, dataId, "no 'url'");
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                throw Bad(origin, dataId, $"'url' {DataFile.Quote(url)} is not an http(s) address");
            }

            var md5 = Text(d, "md5_checksum") ?? throw Bad(origin, dataId, "no 'md5_checksum' to verify the download against");
            if (md5.Length != 32 || !md5.All(char.IsAsciiHexDigit))
            {
                throw Bad(origin, dataId, $"'md5_checksum' {DataFile.Quote(md5)} is not 32 hex digits");
            }

            var target = Text(d, "default_target_attribute") ?? throw Bad(origin, dataId, "no 'default_target_attribute'");
            if (target.Contains(',', StringComparison.Ordinal))
            {
                throw Bad(origin, dataId, $"several default targets ('{target}'); only one is supported");
            }

            var ignored = Names(d, "ignore_attribute").Concat(Names(d, "row_id_attribute")).Distinct(StringComparer.Ordinal).ToArray();
            return new OpenMlDescription(dataId, Text(d, "name") ?? $"openml-{dataId}", uri, md5.ToLowerInvariant(), target, ignored);
        }
        catch (JsonException e)
        {
            throw Bad(origin, dataId, $"not valid JSON ({DataFile.OneLine(e.Message)})", e);
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.String or JsonValueKind.Number
            ? value.ToString().Trim() is { Length: > 0 } text ? text : null
            : null;

    // OpenML writes a single name as a string and several as an array.
    private static IEnumerable<string> Names(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return [];
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => [value.GetString()!],
            JsonValueKind.Array => value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!),
            _ => [],
        };
    }

    private static DataException Bad(string origin, int dataId, string problem, Exception? inner = null) =>
        inner is null
            ? new DataException($"openml:{dataId}: description {origin}: {problem}")
            : new DataException($"openml:{dataId}: description {origin}: {problem}", inner);
}
