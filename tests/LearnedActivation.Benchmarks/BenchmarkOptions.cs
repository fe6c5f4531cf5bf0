namespace LearnedActivation.Benchmarks;

/// <summary>Repetitions of the timing benchmarks: every repetition times each mode once, interleaved.</summary>
/// <param name="WarmupRepetitions">Untimed rounds first (JIT, allocator, libtorch's caches). 40 of 5 steps in the full
/// benchmark: a grid step reaches its steady state only after 100-200 steps (relu large/large at batch 512, measured
/// alone in its process: 1.61-1.64x its fixed step after 25 or 100 warm-up steps, 1.50-1.52x after 200, as in a
/// long run), where the fixed step is steady from the start.</param>
/// <param name="Repetitions">Timed rounds; the tables report medians over them.</param>
/// <param name="StepsPerSample">Steps timed together for one sample (their mean), to get above the clock's noise.</param>
/// <param name="CpuTime">
/// Time by the calling thread's CPU time instead of the wall clock: on a machine shared with many other processes the
/// wall clock mostly measures waiting for a core. Every measured operation runs on the calling thread (one torch
/// thread; libtorch runs a CPU-only backward on the thread that asks for it).
/// </param>
internal sealed record BenchmarkOptions(int WarmupRepetitions, int Repetitions, int StepsPerSample, bool CpuTime = false)
{
    public static BenchmarkOptions Full { get; } = new(40, 30, 5);

    public static BenchmarkOptions Quick { get; } = new(2, 7, 2);
}
