namespace LearnedActivation.Client.Cli;

/// <summary>What the process exit code means, for scripts and CI.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The work itself failed (training diverged, storage error, a bug).</summary>
    public const int Failure = 1;

    /// <summary>Bad input or usage: unknown option, invalid value, unreadable or invalid data file.</summary>
    public const int BadInput = 2;

    /// <summary>Interrupted by Ctrl+C after a clean stop (POSIX convention 128 + SIGINT).</summary>
    public const int Interrupted = 130;
}
