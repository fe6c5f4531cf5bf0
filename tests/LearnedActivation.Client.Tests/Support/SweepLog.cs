using System.Text.Json;

namespace LearnedActivation.Client.Tests.Support;

/// <summary>
/// The store's compact-JSON log (one event per line: "@mt" the message template, then the properties), read
/// while a process may still be appending to it. The templates here are the executor's and the run grain's.
/// </summary>
internal static class SweepLog
{
    public const string TrainingFrom = "Run {Run} training from epoch {Epoch} of {Total}";
    public const string Stopped = "Run {Run} stopped after epoch {Epoch}; it resumes from its last checkpoint";
    public const string Ended = "Run {Run} ended {Phase} after epoch {Epoch} {Error}";

    /// <summary>The number of lines now in the log: the events of a process started next are the ones after it.</summary>
    public static int LineCount(string path) => File.Exists(path) ? ReadLines(path).Count : 0;

    /// <summary>Events with the given template from line <paramref name="fromLine"/> on.</summary>
    public static IReadOnlyList<LogEvent> Events(string path, string template, int fromLine = 0)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        var events = new List<LogEvent>();
        foreach (var line in ReadLines(path).Skip(fromLine))
        {
            // A process killed while writing leaves half a line, and a line being written right now may be
            // incomplete: neither can be one of the events a test looks for, so they are skipped.
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(line);
            }
            catch (JsonException)
            {
                continue;
            }

            using (document)
            {
                var root = document.RootElement;
                if (root.TryGetProperty("@mt", out var mt) && mt.GetString() == template)
                {
                    events.Add(new LogEvent(root.Clone()));
                }
            }
        }

        return events;
    }

    private static List<string> ReadLines(string path)
    {
        // The writing process holds the file open: share it rather than wait for it.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        return lines;
    }
}

/// <summary>One log event: its properties by name ("Run" is "{sweep}/{config}").</summary>
internal sealed record LogEvent(JsonElement Properties)
{
    public string Run => Properties.GetProperty(nameof(Run)).GetString()!;

    public int Epoch => Properties.GetProperty(nameof(Epoch)).GetInt32();

    public string Phase => Properties.GetProperty(nameof(Phase)).GetString()!;
}
