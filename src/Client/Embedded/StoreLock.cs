using LearnedActivation.Client.Cli;
using LearnedActivation.Grains.Storage;

namespace LearnedActivation.Client.Embedded;

/// <summary>
/// One process at a time owns a store: the file-system blob store and the grain state on it assume a
/// single writer, so a second <c>learnact sweep</c> (or a status-only silo beside a running sweep) would
/// train twice and race on state. The lock is an OS file lock: it goes away with the process, even on
/// kill -9, so a crash never leaves a stale lock behind.
/// </summary>
internal sealed class StoreLock : IDisposable
{
    private readonly FileStream _file;

    private StoreLock(FileStream file) => _file = file;

    public static StoreLock Acquire(string root)
    {
        var path = Path.Combine(root, StoreLayout.LockFile);
        try
        {
            var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            file.SetLength(0);
            using (var writer = new StreamWriter(file, leaveOpen: true))
            {
                writer.Write(Environment.ProcessId);
            }

            file.Flush();
            return new StoreLock(file);
        }
        catch (IOException ex)
        {
            // Almost always another learnact process holding the lock; the system's reason is kept for the rest.
            throw new UsageException($"store {root} is in use by another learnact process or cannot be locked ({ex.Message}); wait for it, stop it, or use --store DIR");
        }
    }

    public void Dispose() => _file.Dispose();
}
