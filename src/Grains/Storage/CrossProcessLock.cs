namespace LearnedActivation.Grains.Storage;

/// <summary>
/// An exclusive OS lock on a file (an open with <see cref="FileShare.None"/>, which .NET maps to flock on
/// Unix), held until disposed: makes a check-then-write atomic against other processes on the same
/// file-system store. Waits with short sleeps while another holder has it.
/// </summary>
internal sealed class CrossProcessLock : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly FileStream _file;

    private CrossProcessLock(FileStream file) => _file = file;

    public static async Task<CrossProcessLock> AcquireAsync(string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new CrossProcessLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None));
            }
            catch (IOException) when (clock.Elapsed < Patience)
            {
                // Held by another process: its write takes milliseconds.
                await Task.Delay(10, cancellationToken);
            }
        }
    }

    public void Dispose() => _file.Dispose();
}
