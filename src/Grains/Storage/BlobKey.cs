namespace LearnedActivation.Grains.Storage;

/// <summary>
/// The one place that decides which blob keys are legal. A key is '/'-separated segments of
/// [A-Za-z0-9._-]; no segment is empty or starts with '.' (which also rules out "." and ".."), and the
/// key does not end in a reserved suffix. Together these mean a key can never name a path outside the
/// store's root, nor collide with the store's own bookkeeping files (checksums, temporaries).
/// </summary>
public static class BlobKey
{
    /// <summary>Suffix of the checksum file beside each blob in the file-system store.</summary>
    public const string ChecksumSuffix = ".sha256";

    public const int MaxLength = 512;

    /// <summary>Throws <see cref="ArgumentException"/> naming the problem when <paramref name="key"/> is not legal.</summary>
    public static string Validate(string? key)
    {
        if (Problem(key) is { } problem)
        {
            throw new ArgumentException($"invalid blob key '{key}': {problem}", nameof(key));
        }

        return key!;
    }

    public static bool IsValid(string? key) => Problem(key) is null;

    /// <summary>Checks a list prefix: like a key, except that it may be empty or end with '/'.</summary>
    public static string ValidatePrefix(string? prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (prefix.Length == 0)
        {
            return prefix;
        }

        var trimmed = prefix.EndsWith('/') ? prefix[..^1] : prefix;
        if (Problem(trimmed) is { } problem)
        {
            throw new ArgumentException($"invalid blob prefix '{prefix}': {problem}", nameof(prefix));
        }

        return prefix;
    }

    private static string? Problem(string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return "empty";
        }

        if (key.Length > MaxLength)
        {
            return $"longer than {MaxLength} characters";
        }

        if (key[0] == '/')
        {
            return "absolute (starts with '/')";
        }

        foreach (var c in key)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '/'))
            {
                return c == '\\' ? "backslash is not allowed" : $"character '{c}' is not allowed (use letters, digits, '.', '_', '-', '/')";
            }
        }

        foreach (var segment in key.Split('/'))
        {
            if (segment.Length == 0)
            {
                return "empty segment";
            }

            if (segment[0] == '.')
            {
                return segment is ".." or "." ? $"'{segment}' segment is not allowed" : $"segment '{segment}' starts with '.'";
            }
        }

        return key.EndsWith(ChecksumSuffix, StringComparison.OrdinalIgnoreCase) ? $"suffix '{ChecksumSuffix}' is reserved" : null;
    }
}
