using System.Runtime.InteropServices;

namespace LearnedActivation.Model.IO;

/// <summary>
/// The two file facts the BCL does not expose on Unix: the file type (FileInfo cannot tell a FIFO or
/// <c>/dev/zero</c> from an empty file, and opening a FIFO blocks until a writer appears) and the canonical
/// path with every symbolic link resolved (<see cref="Path.GetFullPath(string)"/> resolves none). Both are
/// one libc call (<c>stat</c>, <c>realpath</c>); elsewhere they fall back to what the BCL can say.
/// </summary>
public static partial class UnixFile
{
    private const int FileTypeMask = 0xF000;
    private const int RegularType = 0x8000;
    private const int DirectoryType = 0x4000;

    // sizeof(struct stat) is 144 bytes on x86-64 and 128 on arm64; the buffer leaves room for both.
    private const int StatBufferSize = 256;

    /// <summary>The kind of file <paramref name="path"/> names, following symbolic links, without opening it.</summary>
    public static FileKind KindOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!OperatingSystem.IsLinux() || ModeOffset() is not { } offset)
        {
            return File.Exists(path) ? FileKind.Regular : Directory.Exists(path) ? FileKind.Directory : FileKind.Missing;
        }

        Span<byte> buffer = stackalloc byte[StatBufferSize];
        if (Stat(path, ref MemoryMarshal.GetReference(buffer)) != 0)
        {
            return FileKind.Missing;
        }

        var type = BitConverter.ToInt32(buffer[offset..]) & FileTypeMask;
        return type switch
        {
            RegularType => FileKind.Regular,
            DirectoryType => FileKind.Directory,
            _ => FileKind.Special,
        };
    }

    /// <summary>
    /// The absolute path of <paramref name="path"/> with every symbolic link, <c>.</c> and <c>..</c> resolved, as the
    /// kernel will open it; null when it does not exist (some component is missing or unreadable).
    /// </summary>
    public static string? RealPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!OperatingSystem.IsLinux())
        {
            var full = Path.GetFullPath(path);
            return File.Exists(full) || Directory.Exists(full) ? full : null;
        }

        var resolved = RealPathNative(path, IntPtr.Zero);
        if (resolved == IntPtr.Zero)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            // realpath(path, NULL) allocates with malloc; NativeMemory.Free is free() on Unix.
            unsafe
            {
                NativeMemory.Free((void*)resolved);
            }
        }
    }

    /// <summary>Where st_mode lies in struct stat for this process's architecture (Linux glibc/musl layouts).</summary>
    private static int? ModeOffset() => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 24,
        Architecture.Arm64 => 16,
        _ => null,
    };

    [LibraryImport("libc", EntryPoint = "stat", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Stat(string path, ref byte buffer);

    [LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr RealPathNative(string path, IntPtr resolved);
}
