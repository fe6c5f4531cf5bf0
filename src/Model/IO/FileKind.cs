namespace LearnedActivation.Model.IO;

/// <summary>What a path names once symbolic links are followed.</summary>
public enum FileKind
{
    Missing,
    Regular,
    Directory,

    /// <summary>A FIFO, socket, character or block device (<c>/dev/zero</c>, <c>mkfifo</c>): endless or blocking to read.</summary>
    Special,
}
