using System.ComponentModel.DataAnnotations;

namespace LearnedActivation.Grains.Execution;

/// <summary>How much training one silo does at once (configuration section "Training").</summary>
public sealed class TrainingSlotsOptions
{
    public const string Section = "Training";

    /// <summary>
    /// Runs that train at once on this silo: it claims a queued run whenever one of these slots is free. Default: one per core, since
    /// small networks gain more from one run per core than from more threads per run (docs/benchmarks.md).
    /// </summary>
    [Range(1, 4096)]
    public int Slots { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// libtorch threads each run is meant to use; with <see cref="Slots"/> runs at once, Slots x this
    /// should not exceed the cores. libtorch's pool is process-wide, so the backend sets it once per silo.
    /// </summary>
    [Range(1, 1024)]
    public int TorchThreadsPerRun { get; set; } = 1;

    /// <summary>
    /// Whether this silo takes queued runs (see <see cref="Scheduling.WorkPuller"/>). False for a process
    /// that hosts a silo only to read status or cancel.
    /// </summary>
    public bool AcceptsRuns { get; set; } = true;
}
