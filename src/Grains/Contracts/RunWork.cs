using LearnedActivation.Model.Configuration;

namespace LearnedActivation.Grains.Contracts;

/// <summary>Everything a silo needs to train one run: identity, configuration, budget, data, checkpoint cadence.</summary>
[GenerateSerializer, Immutable, Alias("la.RunWorkItem")]
public sealed record RunWorkItem(
    [property: Id(0)] string SweepId,
    [property: Id(1)] RunDefinition Run,
    [property: Id(2)] TrainingBudget Budget,
    [property: Id(3)] DataSpec Data,
    [property: Id(4)] int CheckpointEvery)
{
    public RunKey Key => new(SweepId, Run.ConfigName);

    public ModelConfig Model => Run.Model;

    public TrainConfig Train => Budget.ToTrainConfig(Run.Seed);

    public static RunWorkItem For(SweepSpec spec, RunDefinition run)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(run);
        return new(spec.Id, run, spec.Budget, run.Data ?? spec.Data, spec.CheckpointEvery);
    }
}

/// <summary>How an execution ended, as it reports it to the run grain.</summary>
[GenerateSerializer, Immutable, Alias("la.RunEnd")]
public sealed record RunEnd(
    [property: Id(0)] RunPhase Phase,
    [property: Id(1)] int Epoch,
    [property: Id(2)] string? LastCheckpointKey,
    [property: Id(3)] TestMetrics? Test,
    [property: Id(4)] IReadOnlyList<string> ArtifactKeys,
    [property: Id(5)] string? Error);

/// <summary>A run's end as the sweep records it: final status, its curve, and the blob keys of its artifacts.</summary>
[GenerateSerializer, Immutable, Alias("la.RunOutcome")]
public sealed record RunOutcome(
    [property: Id(0)] RunStatus Status,
    [property: Id(1)] IReadOnlyList<EpochReport> Curve,
    [property: Id(2)] IReadOnlyList<string> ArtifactKeys);

/// <summary>
/// A queued run handed to a silo with a free training slot, the id its execution reports (and writes) under,
/// and the checkpoint its record names to resume from (null: from the start).
/// </summary>
[GenerateSerializer, Immutable, Alias("la.RunClaim")]
public sealed record RunClaim(
    [property: Id(0)] RunWorkItem Work,
    [property: Id(1)] Guid ExecutionId,
    [property: Id(2)] string? ResumeFrom = null);

/// <summary>A silo that asks for work: its address (what membership knows it by) and a readable label for status.</summary>
[GenerateSerializer, Immutable, Alias("la.WorkerSilo")]
public sealed record WorkerSilo(
    [property: Id(0)] SiloAddress Address,
    [property: Id(1)] string Label);

/// <summary>What the sweep learns when it looks at one of its assigned runs (see ITrainingRunGrain.ObserveAsync).</summary>
[GenerateSerializer, Immutable, Alias("la.RunObservation")]
public sealed record RunObservation(
    [property: Id(0)] RunOutcome Outcome,
    [property: Id(1)] bool OwnedByExecution,
    [property: Id(2)] TimeSpan Silence);
