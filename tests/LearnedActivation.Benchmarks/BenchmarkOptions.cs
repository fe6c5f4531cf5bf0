namespace LearnedActivation.Benchmarks;

/// <summary>Repetitions of the timing benchmarks: every repetition times each mode once, interleaved.</summary>
/// <param name="WarmupRepetitions">Untimed rounds first (JIT, allocator, libtorch's caches).</param>
/// <param name="Repetitions">Timed rounds; the tables report medians over them.</param>
/// <param name="StepsPerSample">Steps timed together for one sample (their mean), to get above the clock's noise.</param>
/// <param name="CpuTime">
/// Time by the calling thread's CPU time instead of the wall clock: on a machine shared with many other processes the
/// wall clock mostly measures waiting for a core. Every measured operation runs on the calling thread (one torch
/// thread; libtorch runs a CPU-only backward on the thread that asks for it).
/// </param>
internal sealed record BenchmarkOptions(int WarmupRepetitions, int Repetitions, int StepsPerSample, bool CpuTime = false)
{
    public static BenchmarkOptions Full { get; } = new(5, 30, 5);

    public static BenchmarkOptions Quick { get; } = new(2, 7, 2);
}
