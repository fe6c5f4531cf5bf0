using System.Runtime.InteropServices;
using LearnedActivation.Model.Training;

namespace LearnedActivation.Model.Tests.Training;

/// <summary>
/// The native heap setting that training applies: blocks of a training step's size come from the heap, reused from
/// step to step, instead of a fresh mapping each (whose pages were faulted in again every step: half of a batch-2048
/// grid step's CPU time, docs/benchmarks.md). Page-fault counts are too noisy to test (the managed heap's own
/// allocations fault too), so this reads glibc's chunk header: bit 2 of the size word before a block marks it mmapped.
/// </summary>
public sealed partial class NativeHeapTests
{
    [SkippableFact]
    public unsafe void BlocksOfTensorSizeComeFromTheHeapNotFromTheirOwnMapping()
    {
        Skip.IfNot(OperatingSystem.IsLinux() && IsGlibc(), "the chunk header read here is glibc's");
        Assert.True(NativeHeap.KeepFreedMemory(), "glibc refused the settings");

        // 24 MiB: over every threshold glibc's defaults reach unless a block that large was freed first, under ours.
        foreach (var bytes in new nuint[] { 512 << 10, 4 << 20, 24 << 20 })
        {
            var block = NativeMemory.Alloc(bytes);
            try
            {
                Assert.False(IsMapped(block), $"a block of {bytes} bytes has its own mapping");
            }
            finally
            {
                NativeMemory.Free(block);
            }
        }

        // Beyond the threshold the mapping remains (the check can tell the two apart). Larger than the trim threshold
        // too: glibc serves even a block over the mmap threshold from the top of the heap when the free memory kept
        // there (up to the trim threshold, freed by other tests in this process) is enough; it failed once in CI so.
        var huge = NativeMemory.Alloc((nuint)NativeHeap.TrimThreshold + (nuint)NativeHeap.MmapThreshold);
        try
        {
            Assert.True(IsMapped(huge));
        }
        finally
        {
            NativeMemory.Free(huge);
        }
    }

    [Fact]
    public void ApplyingItAgainChangesNothing()
    {
        var first = NativeHeap.KeepFreedMemory();
        Assert.Equal(first, NativeHeap.KeepFreedMemory());
    }

    private const long IsMmapped = 0x2;

    private static unsafe bool IsMapped(void* block) => (((long*)block)[-1] & IsMmapped) != 0;

    private static bool IsGlibc()
    {
        try
        {
            return GnuLibcVersion() != IntPtr.Zero;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "gnu_get_libc_version")]
    private static partial IntPtr GnuLibcVersion();
}
