namespace LearnedActivation.Client.Cli;

/// <summary>A command-line value that parses but makes no sense; reported in one line with exit code 2.</summary>
public sealed class UsageException : Exception
{
    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException()
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
