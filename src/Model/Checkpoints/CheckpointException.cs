namespace LearnedActivation.Model.Checkpoints;

/// <summary>Why a checkpoint was refused.</summary>
public enum CheckpointFailure
{
    /// <summary>The stream ended before the header or the payload did.</summary>
    Truncated,

    /// <summary>The bytes are not what was written (checksum mismatch or an impossible value).</summary>
    Corrupted,

    /// <summary>Not a checkpoint of this program, or a format version this build cannot read.</summary>
    UnknownFormat,

    /// <summary>A valid checkpoint, but of another run (spec hash) or other data.</summary>
    WrongRun,
}

/// <summary>A checkpoint that cannot be resumed; the message is one line that says why.</summary>
public sealed class CheckpointException : Exception
{
    public CheckpointException(CheckpointFailure failure, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
    }

    public CheckpointException()
    {
    }

    public CheckpointException(string message)
        : base(message)
    {
    }

    public CheckpointException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CheckpointFailure Failure { get; } = CheckpointFailure.Corrupted;
}
