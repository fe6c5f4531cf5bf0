namespace LearnedActivation.Benchmarks;

/// <summary>Repetitions of the timing benchmarks: every repetition times each mode once, interleaved.</summary>
/// <param name="WarmupRepetitions">Untimed rounds first (JIT, allocator, libtorch's caches).</param>
/// <param name="Repetitions">Timed rounds; the tables report medians over them.</param>
/// <param name="StepsPerSample">Steps timed together for one sample (their mean), to get above the clock's noise.</param>
internal sealed record BenchmarkOptions(int WarmupRepetitions, int Repetitions, int StepsPerSample)
{
    public static BenchmarkOptions Full { get; } = new(5, 30, 5);

    public static BenchmarkOptions Quick { get; } = new(2, 7, 2);
}
