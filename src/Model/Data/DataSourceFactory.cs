namespace LearnedActivation.Model.Data;

/// <summary>
/// Turns the CLI's data options into a source: <c>--data FILE --target COLUMN</c> gives a
/// <see cref="CsvDataSource"/>; no <c>--data</c> gives OpenML <see cref="OpenMlDataSource.DefaultDataId"/>.
/// </summary>
public static class DataSourceFactory
{
    /// <summary>Folder in which a relative <c>--data</c> name is looked up when it is not found as given.</summary>
    public const string DataDirectoryVariable = "LEARNACT_DATA_DIR";

    /// <summary>Uses the process environment for <see cref="DataDirectoryVariable"/> and the OpenML cache root.</summary>
    public static IDataSource Create(string? dataFile, string? targetColumn, DataLimits? limits = null) =>
        Create(dataFile, targetColumn, Environment.GetEnvironmentVariable, limits: limits);

    /// <param name="dataFile">The <c>--data</c> value, or null for the OpenML default.</param>
    /// <param name="targetColumn">The <c>--target</c> value; required with <paramref name="dataFile"/>.</param>
    /// <param name="environment">Reads environment variables (tests pass a dictionary lookup).</param>
    /// <param name="httpClient">For the OpenML download; a shared client when null.</param>
    /// <param name="limits">What a local file's reader accepts (<see cref="DataLimits.Default"/> when null).</param>
    /// <exception cref="DataException">--data without --target, --target without --data, or a file that is not found.</exception>
    public static IDataSource Create(string? dataFile, string? targetColumn, Func<string, string?> environment, HttpClient? httpClient = null, DataLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (string.IsNullOrWhiteSpace(dataFile))
        {
            if (!string.IsNullOrWhiteSpace(targetColumn))
            {
                throw new DataException($"--target {targetColumn} needs --data FILE (the default OpenML dataset {OpenMlDataSource.DefaultDataId} uses its own target)");
            }

            return new OpenMlDataSource(
                OpenMlDataSource.DefaultDataId,
                OpenMlDataSource.DefaultCacheDirectory(OpenMlDataSource.DefaultDataId, environment),
                httpClient);
        }

        if (string.IsNullOrWhiteSpace(targetColumn))
        {
            throw new DataException($"{dataFile}: --data needs --target COLUMN naming the column to predict");
        }

        return new CsvDataSource(Resolve(dataFile, environment), targetColumn, limits);
    }

    private static string Resolve(string dataFile, Func<string, string?> environment)
    {
        if (File.Exists(dataFile))
        {
            return dataFile;
        }

        var directory = environment(DataDirectoryVariable);
        if (!Path.IsPathRooted(dataFile) && !string.IsNullOrWhiteSpace(directory))
        {
            var candidate = Path.Combine(directory, dataFile);
            if (File.Exists(candidate))
            {
                return candidate;
            }

            throw new DataException($"{dataFile}: file not found (looked in the current directory and in {DataDirectoryVariable}={directory})");
        }

        throw new DataException($"{dataFile}: file not found");
    }
}
