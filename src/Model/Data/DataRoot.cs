using LearnedActivation.Model.IO;

namespace LearnedActivation.Model.Data;

/// <summary>
/// Where a process may read data files from. The CLI's own commands (<c>train</c>, an embedded <c>sweep</c>) are
/// <see cref="Unrestricted"/>: the person at the keyboard may read their own files. A cluster silo reads only under
/// its configured root (<c>Data:Root</c>), because the file name comes from whoever submitted the spec: a relative
/// name is resolved against the root, and a name that resolves outside it — through <c>..</c>, an absolute path or a
/// symbolic link anywhere on the way — is refused.
/// </summary>
public sealed class DataRoot
{
    private readonly string? _realRoot;

    private DataRoot(string? realRoot) => _realRoot = realRoot;

    /// <summary>No restriction: file names are used as given (relative to the current directory).</summary>
    public static DataRoot Unrestricted { get; } = new(null);

    /// <summary>The root directory, symbolic links resolved; null when unrestricted.</summary>
    public string? Root => _realRoot;

    /// <summary>Reads only under <paramref name="root"/>, which must be an existing directory.</summary>
    /// <exception cref="ArgumentException">The root does not exist or is not a directory.</exception>
    public static DataRoot Under(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        var real = UnixFile.RealPath(root);
        if (real is null || UnixFile.KindOf(real) != FileKind.Directory)
        {
            throw new ArgumentException($"data root '{root}' is not an existing directory", nameof(root));
        }

        return new DataRoot(Path.TrimEndingDirectorySeparator(real));
    }

    /// <summary>
    /// The path to open for <paramref name="file"/>: as given when unrestricted; else the file's real path, which
    /// lies under the root.
    /// </summary>
    /// <exception cref="DataException">The name resolves outside the root, or names no file under it.</exception>
    public string Resolve(string file)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(file);
        if (_realRoot is null)
        {
            return file;
        }

        // First by name alone, touching nothing outside the root: "../x" and "/etc/x" are refused without
        // telling whether they exist.
        var named = Path.GetFullPath(file, _realRoot);
        if (!IsUnder(named))
        {
            throw Outside(file);
        }

        var real = UnixFile.RealPath(named) ?? throw new DataException($"{DataFile.Quote(file)}: file not found under the data root");

        // Then as the kernel will open it: a symbolic link inside the root may point anywhere.
        return IsUnder(real) ? real : throw Outside(file);
    }

    private bool IsUnder(string path) =>
        path.StartsWith(_realRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal) || (_realRoot == "/" && path.StartsWith('/'));

    private static DataException Outside(string file) =>
        new($"{DataFile.Quote(file)}: outside the data root; this silo reads data only under its Data:Root (name the file relative to it)");
}
