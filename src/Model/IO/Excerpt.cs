using System.Globalization;
using System.Text;

namespace LearnedActivation.Model.IO;

/// <summary>
/// How a message shows text it did not write (a cell, a header, an id from a spec): quoted, control characters
/// escaped (<c>\n</c>, <c>\u0000</c>) and cut short, so that it can neither break the one-line message, flood the
/// terminal, nor show more of a file than a glimpse (a "header" read from <c>/proc/self/environ</c> is the environment).
/// </summary>
public static class Excerpt
{
    public const int DefaultLength = 40;

    /// <summary>'value', escaped, at most <paramref name="maxLength"/> characters of it, "..." after a cut.</summary>
    public static string Quote(ReadOnlySpan<char> value, int maxLength = DefaultLength)
    {
        var shown = value.Length <= maxLength ? value : value[..maxLength];
        var text = new StringBuilder(shown.Length + 8).Append('\'');
        foreach (var c in shown)
        {
            _ = c switch
            {
                '\n' => text.Append("\\n"),
                '\r' => text.Append("\\r"),
                '\t' => text.Append("\\t"),
                '\'' => text.Append("\\'"),
                _ when char.IsControl(c) || char.IsSurrogate(c) || c is '\u2028' or '\u2029' => text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => text.Append(c),
            };
        }

        return text.Append(value.Length > maxLength ? "'..." : "'").ToString();
    }
}
