namespace LearnedActivation.Model.Data;

/// <summary>Something that yields the full (unsplit) table: a local CSV, or the cached OpenML download.</summary>
public interface IDataSource
{
    /// <summary>Short description for progress output and metrics ("openml:44121", "/path/file.csv.gz [target]").</summary>
    string Description { get; }

    /// <summary>Loads and validates the table; throws <see cref="DataException"/> on bad input.</summary>
    Task<TabularData> LoadAsync(CancellationToken cancellationToken = default);
}
