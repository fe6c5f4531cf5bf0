namespace LearnedActivation.Client.Cli;

/// <summary>
/// The cluster (its Redis, its silos) or its blob store did not answer. Reported in one line with exit
/// code 1: the command line was fine, the environment was not, and the same command may work later.
/// </summary>
public sealed class ClusterUnreachableException : Exception
{
    public ClusterUnreachableException(string message)
        : base(message)
    {
    }

    public ClusterUnreachableException()
    {
    }

    public ClusterUnreachableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
