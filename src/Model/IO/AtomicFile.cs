namespace LearnedActivation.Model.IO;

/// <summary>
/// Writes a file next to its target and renames it over the target, so a crash mid-write leaves the
/// previous file (or none), never a truncated one that a report or a resume would then trust.
/// </summary>
public static class AtomicFile
{
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> content)
    {
        var bytes = content.ToArray();
        Write(path, temporary => File.WriteAllBytes(temporary, bytes));
    }

    public static void WriteAllText(string path, string content) =>
        Write(path, temporary => File.WriteAllText(temporary, content));

    /// <summary>Lets <paramref name="writeTo"/> produce the file under a temporary name, then moves it into place.</summary>
    public static void Write(string path, Action<string> writeTo)
    {
        ArgumentNullException.ThrowIfNull(writeTo);
        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var temporary = fullPath + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            writeTo(temporary);
            File.Move(temporary, fullPath, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }
}
