using System.Globalization;

namespace LearnedActivation.Client.Cli;

/// <summary>
/// Options that take two numbers, written as users expect (<c>--range -3 3</c>), rewritten into the one-value form
/// the parser reads (<c>--range=-3,3</c>) before parsing. The command-line parser takes one value per option and
/// reads a negative number after an option as another option, so the two-word form cannot reach it unaided.
/// </summary>
internal static class PairOptions
{
    private static readonly string[] Names = ["--range"];

    public static string[] Join(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var joined = new List<string>(args.Count);
        for (var i = 0; i < args.Count; i++)
        {
            if (Names.Contains(args[i]) && i + 2 < args.Count && IsNumber(args[i + 1]) && IsNumber(args[i + 2]))
            {
                joined.Add($"{args[i]}={args[i + 1]},{args[i + 2]}");
                i += 2;
                continue;
            }

            joined.Add(args[i]);
        }

        return [.. joined];
    }

    private static bool IsNumber(string text) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
}
