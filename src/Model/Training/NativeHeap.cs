using System.Runtime.InteropServices;

namespace LearnedActivation.Model.Training;

/// <summary>
/// Keeps the tensors' freed memory in the process instead of handing it back to the kernel after every step.
/// libtorch allocates every activation, gradient and temporary with malloc; at the study's batch of 2048 many of
/// them are over glibc's default mmap threshold (128 KiB, raised only as large blocks are freed), so each step
/// mapped fresh pages, faulted them in on first touch and unmapped them again, and the heap's top was trimmed and
/// regrown. Measured on the large/large training step (docs/benchmarks.md): page faults took about half of the step's
/// CPU time, with the fixed and the grid step alike. With these settings a step reuses the memory of the one before.
/// Process-wide and idempotent; a no-op where the C library has no <c>mallopt</c> (not glibc) or it refuses.
/// </summary>
public static partial class NativeHeap
{
    /// <summary>Blocks up to this size come from the heap, not from their own mapping (glibc's largest allowed value).</summary>
    public const int MmapThreshold = 32 << 20;

    /// <summary>Free memory at the heap's top is returned to the kernel only beyond this much.</summary>
    public const int TrimThreshold = 512 << 20;

    private const int MallocTrimThreshold = -1; // M_TRIM_THRESHOLD
    private const int MallocMmapThreshold = -3; // M_MMAP_THRESHOLD

    private static readonly Lazy<bool> Applied = new(Apply);

    /// <summary>Applies the settings once per process; true where the C library took them.</summary>
    public static bool KeepFreedMemory() => Applied.Value;

    private static bool Apply()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            // mallopt returns 1 on success; set the trim threshold first so the heap never shrinks below the blocks it serves.
            return MallocOption(MallocTrimThreshold, TrimThreshold) == 1 && MallocOption(MallocMmapThreshold, MmapThreshold) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int MallocOption(int parameter, int value);
}
