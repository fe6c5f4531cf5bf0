using System.Collections.Frozen;
using System.Globalization;

namespace LearnedActivation.Model.Data;

/// <summary>
/// Decides which of a target's two raw values becomes 1. The rule, applied in order:
/// <list type="number">
/// <item>Both values are numbers (invariant culture): the smaller is 0, the larger 1 ("0"/"1", "-1"/"1", "1"/"2").</item>
/// <item>Exactly one value is a known positive word (case-insensitive: true, t, yes, y, up, p, pos, positive, +): it is 1
/// ("UP"/"DOWN" gives UP -> 1, "P"/"N" gives P -> 1, "yes"/"no" gives yes -> 1).</item>
/// <item>Otherwise ordinal string order: the smaller is 0 ("g"/"h" gives g -> 0, h -> 1).</item>
/// </list>
/// The rule depends only on the two values, never on row order or counts, so the same file always maps the same way.
/// </summary>
public static class BinaryLabelRule
{
    private static readonly FrozenSet<string> PositiveWords =
        new[] { "true", "t", "yes", "y", "up", "p", "pos", "positive", "+" }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The mapping for two distinct raw values, or null when they are the same number written two ways
    /// ("1" and "1.0"), which is one class, not two.
    /// </summary>
    public static LabelMapping? Choose(string first, string second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (TryNumber(first, out var a) && TryNumber(second, out var b))
        {
            if (a == b)
            {
                return null;
            }

            return a < b ? new LabelMapping(first, second) : new LabelMapping(second, first);
        }

        var firstPositive = PositiveWords.Contains(first);
        var secondPositive = PositiveWords.Contains(second);
        if (firstPositive != secondPositive)
        {
            return firstPositive ? new LabelMapping(second, first) : new LabelMapping(first, second);
        }

        return string.CompareOrdinal(first, second) < 0 ? new LabelMapping(first, second) : new LabelMapping(second, first);
    }

    private static bool TryNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}
