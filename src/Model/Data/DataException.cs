namespace LearnedActivation.Model.Data;

/// <summary>
/// Bad input data. The message is one line a user can act on: it names the file, and where they
/// apply the column and the 1-based row. The CLI maps it to exit code 2.
/// </summary>
public sealed class DataException : Exception
{
    public DataException(string message)
        : base(message)
    {
    }

    public DataException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public DataException()
    {
    }
}
