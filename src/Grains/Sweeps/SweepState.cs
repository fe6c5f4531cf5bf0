using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Storage;

namespace LearnedActivation.Grains.Sweeps;

/// <summary>
/// A sweep grain's durable state: the spec, the queue of runs waiting for a slot, which execution on which
/// silo owns each claimed run, the last status each run reported, every run's curve, and the assembled
/// artifacts. Keyed by configuration name. New members get new [Id]s only.
/// </summary>
[GenerateSerializer, Alias("la.SweepState")]
public sealed class SweepState
{
    [Id(0)]
    public SweepSpec? Spec { get; set; }

    [Id(1)]
    public SweepPhase Phase { get; set; } = SweepPhase.Unknown;

    [Id(2)]
    public Dictionary<string, RunStatus> Runs { get; set; } = [];

    [Id(3)]
    public Dictionary<string, List<EpochReport>> Curves { get; set; } = [];

    [Id(4)]
    public Dictionary<string, List<string>> RunArtifacts { get; set; } = [];

    [Id(5)]
    public List<string> ArtifactKeys { get; set; } = [];

    [Id(6)]
    public List<string> MissingRuns { get; set; } = [];

    [Id(7)]
    public string? AssemblyError { get; set; }

    [Id(8)]
    public DateTimeOffset? StartedAt { get; set; }

    [Id(9)]
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>Runs waiting for a silo with a free slot, served from the front.</summary>
    [Id(10)]
    public List<string> Queue { get; set; } = [];

    /// <summary>Claimed runs: which execution on which silo owns each. Removed when the run ends or is requeued.</summary>
    [Id(11)]
    public Dictionary<string, RunAssignment> Assignments { get; set; } = [];

    /// <summary>True when every run of the spec has reached a terminal phase.</summary>
    public bool AllRunsEnded => Spec is not null && Spec.Runs().All(r => Runs.TryGetValue(r.ConfigName, out var s) && s.IsTerminal);


    public void RecordEpoch(RunStatus status, EpochReport epoch)
    {
        Runs[status.ConfigName] = status;
        var curve = Curves.TryGetValue(status.ConfigName, out var c) ? c : Curves[status.ConfigName] = [];
        curve.RemoveAll(e => e.Epoch >= epoch.Epoch);
        curve.Add(epoch);
    }

    /// <summary>Whether <paramref name="executionId"/> is the execution the run is assigned to.</summary>
    public bool IsAssigned(string configName, Guid executionId) =>
        Assignments.TryGetValue(configName, out var assignment) && assignment.ExecutionId == executionId;

    /// <summary>Runs of the spec that have not reached a terminal phase.</summary>
    public IEnumerable<string> Unended() =>
        Spec?.Runs().Select(r => r.ConfigName).Where(n => !(Runs.TryGetValue(n, out var s) && s.IsTerminal)) ?? [];

    /// <summary>Takes a run's own account (on its end, or when the sweep starts it) as the truth.</summary>
    public void Record(RunOutcome outcome)
    {
        var name = outcome.Status.ConfigName;
        Runs[name] = outcome.Status;
        Curves[name] = [.. outcome.Curve];
        RunArtifacts[name] = [.. outcome.ArtifactKeys];
    }

    /// <summary>Puts a run in the queue once; <paramref name="first"/> for one that was interrupted (it has progress to keep).</summary>
    public void Enqueue(string configName, bool first)
    {
        Queue.Remove(configName);
        Assignments.Remove(configName);
        Queue.Insert(first ? 0 : Queue.Count, configName);
    }

    public SweepStatus ToStatus(string sweepId, DateTimeOffset now)
    {
        var runs = Spec?.Runs()
            .Select(r => Runs.TryGetValue(r.ConfigName, out var s) ? s : RunStatus.NotStarted(new RunKey(sweepId, r.ConfigName), Spec.Budget.Epochs, now))
            .ToList() ?? [];
        return new SweepStatus(sweepId, Phase, Spec, runs, SweepTotals.Of(runs), [.. MissingRuns], [.. ArtifactKeys], AssemblyError, StartedAt, FinishedAt);
    }

    public SweepAssemblyInput AssemblyInput(string sweepId, DateTimeOffset now)
    {
        var status = ToStatus(sweepId, now);
        var runs = Spec!.Runs().Zip(status.Runs, (d, s) => new AssemblyRun(
            d,
            s,
            Curves.TryGetValue(d.ConfigName, out var c) ? [.. c] : [],
            RunArtifacts.TryGetValue(d.ConfigName, out var a) ? [.. a] : []))
            .ToList();
        var missing = runs.Where(r => !r.Completed).Select(r => r.Definition.ConfigName).ToList();
        return new SweepAssemblyInput(Spec, runs, missing, StoreLayout.SweepArtifactPrefix(sweepId));
    }
}

/// <summary>
/// Which execution, on which silo, owns a claimed run. The silo is kept as
/// <see cref="SiloAddress.ToParsableString"/> (address and generation: a restarted silo on the same
/// endpoint is a different silo), since grain state is stored as JSON.
/// </summary>
[GenerateSerializer, Immutable, Alias("la.RunAssignment")]
public sealed record RunAssignment(
    [property: Id(0)] string Silo,
    [property: Id(1)] Guid ExecutionId,
    [property: Id(2)] DateTimeOffset At);
