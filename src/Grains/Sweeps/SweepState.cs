using System.Text.Json.Serialization;
using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Scheduling;

namespace LearnedActivation.Grains.Sweeps;

/// <summary>
/// A sweep grain's durable state: the spec, the queue of runs waiting for a slot, which execution on which
/// silo owns each claimed run, and the assembled artifacts. Keyed by configuration name. The last status of
/// each run (<see cref="Runs"/>) is stored apart, in <see cref="SweepRuns"/>, and curves and run artifacts
/// live with their runs (<see cref="Grains.Runs.RunState"/>): what a claim or a run's end stores shrinks as
/// the queue does, and an epoch report changes nothing stored here (see <see cref="AcceptEpoch"/>). The decisions (what a start, a claim, a report, a cancel or a
/// run's end does to the sweep) live here, apart from the grain, so that they read and are tested as plain
/// code; where a run joins the queue and which one a claim takes is the <see cref="IQueuePolicy"/>'s.
/// Stored as JSON: members are never renamed, new ones get new [Id]s, and anything computed is a method,
/// since a public property would be written too (<see cref="AllRunsEnded"/> is, and stays, for that reason).
/// </summary>
[GenerateSerializer, Alias("la.SweepState")]
public sealed class SweepState
{
    [NonSerialized]
    private ExpandedSpec? _expanded;

    [NonSerialized]
    private List<string> _queue = [];

    [NonSerialized]
    private List<int[]>? _storedQueue;

    [Id(0)]
    public SweepSpec? Spec { get; set; }

    [Id(1)]
    public SweepPhase Phase { get; set; } = SweepPhase.Unknown;

    /// <summary>Each run's last known status (stored in <see cref="SweepRuns"/>; see <see cref="AdoptRuns"/>).</summary>
    [JsonIgnore]
    [field: NonSerialized]
    public Dictionary<string, RunStatus> Runs { get; set; } = [];

    /// <summary>The statuses as versions before <see cref="SweepRuns"/> stored them, here; read once (<see cref="AdoptRuns"/>), never written.</summary>
    [Id(2)]
    [JsonPropertyName("runs")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, RunStatus>? EarlierRuns { get; set; }

    /// <summary>
    /// Counts the changes to <see cref="Runs"/> that are to be stored: a run queued, claimed, requeued, cancelled
    /// or ended. Progress (reports, what the watch sees of executing runs) is not counted: their records hold it.
    /// </summary>
    [JsonIgnore]
    [field: NonSerialized]
    public int RunsChanged { get; private set; }

    // Ids 3 (every run's curve) and 4 (every run's artifact keys) were stored by earlier versions; their
    // runs' records hold both, so they are read from there (a stored state that still has them loads).

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

    /// <summary>
    /// Runs waiting for a silo with a free slot, in the order the policy serves them. Stored as
    /// <see cref="StoredQueue"/>, not as names: every claim rewrites this state, and a list of names made each
    /// claim cost bytes in proportion to the runs still queued (45 KB per claim at the start of a 2,700-run sweep).
    /// </summary>
    [Id(10)]
    [JsonIgnore]
    public List<string> Queue
    {
        get
        {
            if (_storedQueue is { } ranges && Spec is not null)
            {
                _queue = QueueRanges.Expand(ranges, Expanded().Runs);
                _storedQueue = null;
            }

            return _queue;
        }
        set => (_queue, _storedQueue) = (value, null);
    }

    /// <summary>
    /// The queue as stored: ranges of consecutive positions in the spec's run order (<see cref="QueueRanges"/>).
    /// The queue mostly is the spec's order with its front claimed and a few runs readmitted ahead, so this stays
    /// a few numbers whatever the sweep's size, and a claim's write does not grow with the runs. Read back
    /// lazily, once the spec is known, as the document's member order is not guaranteed.
    /// </summary>
    [JsonPropertyName("queueRanges")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<int[]>? StoredQueue
    {
        get => _storedQueue ?? (Spec is null ? null : QueueRanges.Compress(_queue, Expanded().Order));
        set => _storedQueue = value;
    }

    /// <summary>The queue as names, as versions before <see cref="StoredQueue"/> stored it: read, never written.</summary>
    [JsonPropertyName("queue")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? EarlierQueue
    {
        get => null;
        set => (_queue, _storedQueue) = (value ?? [], null);
    }

    /// <summary>Claimed runs: which execution on which silo owns each. Removed when the run ends or is requeued.</summary>
    [Id(11)]
    public Dictionary<string, RunAssignment> Assignments { get; set; } = [];

    /// <summary>
    /// Takes <paramref name="stored"/> (the sweep's <see cref="SweepRuns"/>) as <see cref="Runs"/>; a state of an
    /// earlier version brings its statuses into it. Returns whether it did (both are then to be stored).
    /// </summary>
    public bool AdoptRuns(Dictionary<string, RunStatus> stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        Runs = stored;
        if (EarlierRuns is not { } earlier)
        {
            return false;
        }

        foreach (var (name, status) in earlier)
        {
            Runs.TryAdd(name, status);
        }

        EarlierRuns = null;
        RunsChanged++;
        return true;
    }

    /// <summary>
    /// Runs whose stored status may be behind their records: the assigned ones (progress is not stored here),
    /// and unended ones neither queued nor assigned (a run that ended just before the sweep's silo died).
    /// </summary>
    public IReadOnlyList<string> Uncertain()
    {
        var queued = Queue.ToHashSet(StringComparer.Ordinal);
        return [.. Assignments.Keys.Concat(Unended().Where(n => !queued.Contains(n) && !Assignments.ContainsKey(n))).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>True when every run of the spec has reached a terminal phase.</summary>
    public bool AllRunsEnded => Spec is not null && SpecRuns().All(r => Runs.TryGetValue(r.ConfigName, out var s) && s.IsTerminal);

    /// <summary>Runs may be queued or executing, or a cancel may still have runs to stop: the watch goes on.</summary>
    public bool NeedsWatching() => Phase == SweepPhase.Running || Assignments.Count > 0 || (Phase == SweepPhase.Cancelled && Unended().Any());

    /// <summary>A running sweep whose runs have all ended: its artifacts are due.</summary>
    public bool ReadyToAssemble() => Phase == SweepPhase.Running && AllRunsEnded;

    /// <summary>Why <paramref name="spec"/> may not start sweep <paramref name="sweepId"/>, or null when it may.</summary>
    public string? StartRefusal(string sweepId, SweepSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Id != sweepId)
        {
            return $"spec id '{spec.Id}' sent to sweep '{sweepId}'";
        }

        if (SweepSpecValidator.FirstError(spec) is { } error)
        {
            return $"sweep '{sweepId}': {error}";
        }

        return Spec is not null && !Spec.SameAs(spec) ? $"sweep '{sweepId}' already exists with a different spec; start it under another id" : null;
    }

    /// <summary>
    /// What starting (or resuming) with <paramref name="spec"/> takes: nothing, when every run completed and the
    /// artifacts were assembled; otherwise the unfinished runs still executing on a live silo keep their
    /// execution (a cancel requested before this resume is withdrawn), every other unfinished run is queued.
    /// </summary>
    public ResumePlan PlanStart(SweepSpec spec, Func<string, bool> siloAlive)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(siloAlive);
        var runs = spec.Runs();
        var unfinished = runs.Where(r => !(Runs.TryGetValue(r.ConfigName, out var s) && s.Phase == RunPhase.Completed)).ToList();
        if (unfinished.Count == 0 && Phase == SweepPhase.Finished && AssemblyError is null)
        {
            return ResumePlan.AlreadyFinished;
        }

        var keep = new Dictionary<string, Guid>();
        foreach (var run in unfinished)
        {
            if (Assignments.TryGetValue(run.ConfigName, out var assignment) && siloAlive(assignment.Silo))
            {
                keep[run.ConfigName] = assignment.ExecutionId;
            }
        }

        var queue = unfinished.Where(r => !keep.ContainsKey(r.ConfigName)).Select(r => RunWorkItem.For(spec, r)).ToList();
        return new ResumePlan(false, keep, queue, runs.Count);
    }

    /// <summary>
    /// The sweep runs (again) under <paramref name="spec"/>: each queued run's own account (as it answered
    /// being queued) is the truth, the unfinished ones wait in the queue, arranged by the policy.
    /// </summary>
    public void Started(SweepSpec spec, IEnumerable<RunOutcome> queued, IQueuePolicy policy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(queued);
        ArgumentNullException.ThrowIfNull(policy);
        (Spec, Phase, StartedAt, FinishedAt, AssemblyError) = (spec, SweepPhase.Running, StartedAt ?? now, null, null);
        foreach (var outcome in queued)
        {
            var name = outcome.Status.ConfigName;
            Record(outcome);
            Queue.Remove(name);
            if (outcome.Status.Phase != RunPhase.Completed)
            {
                Assignments.Remove(name);
                Queue.Add(name);
            }
        }

        var arranged = policy.Arrange(QueueView()).Select(r => r.ConfigName).ToList();
        if (arranged.Count != Queue.Count || arranged.Except(Queue).Any())
        {
            throw new InvalidOperationException($"queue policy {policy.GetType().Name} did not return the queue rearranged");
        }

        Queue = arranged;
    }

    /// <summary>
    /// The run a claiming silo gets (the policy's pick among the runs ready to train), or null when the sweep has none
    /// to give: not running, nothing queued, or every queued run waits for a source (<see cref="WaitsForSource"/>).
    /// </summary>
    public string? NextClaim(IQueuePolicy policy, string silo)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (Phase != SweepPhase.Running || Spec is null || Queue.Count == 0)
        {
            return null;
        }

        var ready = QueueView().Where(r => !WaitsForSource(r.ConfigName)).ToList();
        return ready.Count > 0 ? ready[policy.Pick(ready, silo)].ConfigName : null;
    }

    /// <summary>
    /// A run whose source activation is a run of this same sweep (a multitask sweep's frozen holdout runs) that has
    /// not ended yet. Such a run is queued from the start like every other, and only its claim waits: status, cancel
    /// and resume then treat it as any queued run, and a resume needs nothing of its own (the joint run is queued
    /// again, its frozen runs wait again). Holding it back at the claim, rather than letting a silo start it and wait
    /// in the training slot, keeps the slot for work that can run. Once the source has ended, the run goes: a source
    /// that failed leaves no activation, and the frozen run fails at once with the line that says so.
    /// </summary>
    public bool WaitsForSource(string configName)
    {
        if (Spec is null || !SpecOrders().TryGetValue(configName, out var i) || SpecRuns()[i].Source is not { } source || source.SweepId != Spec.Id)
        {
            return false;
        }

        return !(Runs.TryGetValue(source.RunName, out var status) && status.IsTerminal);
    }

    /// <summary>Claimed: <paramref name="assignment"/>'s execution owns the run. Returns what undoes this, should the claim not be stored.</summary>
    public ClaimUndo Claim(string configName, RunAssignment assignment, RunStatus status)
    {
        var undo = new ClaimUndo(configName, Queue.IndexOf(configName), Runs[configName]);
        Queue.Remove(configName);
        Assignments[configName] = assignment;
        Runs[configName] = status;
        RunsChanged++;
        return undo;
    }

    /// <summary>Not claimed after all: the silo will not start the run, so it must not look owned; back where it was in the queue.</summary>
    public void Undo(ClaimUndo claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        Assignments.Remove(claim.ConfigName);
        Runs[claim.ConfigName] = claim.Previous;
        RunsChanged++;
        Queue.Insert(Math.Clamp(claim.Position, 0, Queue.Count), claim.ConfigName);
    }

    /// <summary>A run that could not be claimed because it was not queued after all (it ended): out of the queue (its own record is to be recorded).</summary>
    public void ClaimRefused(string configName) => Queue.Remove(configName);

    /// <summary>A running sweep with runs in its queue: silos must be able to find it.</summary>
    public bool HasQueuedWork() => Phase == SweepPhase.Running && Queue.Count > 0;

    /// <summary>Only a running sweep can be cancelled.</summary>
    public bool Cancellable() => Spec is not null && Phase == SweepPhase.Running;

    /// <summary>Cancelled for good (never rolled back): nothing more is served. Returns the runs that have not ended, which are to be stopped.</summary>
    public IReadOnlyList<string> Cancel()
    {
        Phase = SweepPhase.Cancelled;
        Queue.Clear();
        return [.. Unended()];
    }

    /// <summary>Runs a cancelled sweep still has to end: those no execution owns (cancels that failed earlier are retried).</summary>
    public IReadOnlyList<string> StillToCancel() =>
        Phase == SweepPhase.Cancelled ? [.. Unended().Where(n => !Assignments.ContainsKey(n))] : [];

    /// <summary>
    /// An epoch report: applied (true) only when it comes from the execution the run is assigned to. Applied
    /// in memory only, never stored by the sweep: the run's record stores it (curve included), and a sweep
    /// activated afresh learns its assigned runs' progress from their records (<see cref="Observed"/>).
    /// </summary>
    public bool AcceptEpoch(Guid executionId, RunStatus status, EpochReport epoch)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (!IsAssigned(status.ConfigName, executionId))
        {
            return false;
        }

        RecordEpoch(status, epoch);
        return true;
    }

    /// <summary>A status report: applied (true) only when it comes from the execution the run is assigned to; in memory only, as an epoch report.</summary>
    public bool AcceptStatus(Guid executionId, RunStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (!IsAssigned(status.ConfigName, executionId))
        {
            return false;
        }

        Runs[status.ConfigName] = status;
        return true;
    }

    /// <summary>
    /// A run's execution reports its end. Ignored from any execution but the assigned one (a stale one, or an
    /// end the watch already recorded). A run that ended cancelled while the sweep runs was cancelled just
    /// before the sweep was resumed: the resume wins and the run is to be queued again.
    /// </summary>
    public RunEndDecision Ended(Guid executionId, RunOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var name = outcome.Status.ConfigName;
        if (!IsAssigned(name, executionId))
        {
            return RunEndDecision.Stale;
        }

        Assignments.Remove(name);
        if (Phase == SweepPhase.Running && outcome.Status.Phase == RunPhase.Cancelled)
        {
            return RunEndDecision.Requeue;
        }

        Record(outcome);
        return RunEndDecision.Recorded;
    }

    /// <summary>An assigned run ended without the sweep hearing of it: its own record is the truth.</summary>
    public void EndedUnheard(RunOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        Record(outcome);
        Assignments.Remove(outcome.Status.ConfigName);
    }

    /// <summary>A run queued again (its record says so in <paramref name="outcome"/>) after losing its execution; where it goes is the policy's.</summary>
    public void Readmit(RunOutcome outcome, IQueuePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        Record(outcome);
        Readmit(outcome.Status.ConfigName, policy);
    }

    /// <summary>
    /// An assigned run taken from its execution (silo gone, silent too long, or disowned): no longer assigned,
    /// and, unless it ended meanwhile or the sweep was cancelled, back in the queue where the policy puts it.
    /// </summary>
    public void Requeued(RunStatus status, IQueuePolicy policy)
    {
        RecordStatus(status);
        Assignments.Remove(status.ConfigName);
        if (Phase == SweepPhase.Running && !status.IsTerminal)
        {
            Readmit(status.ConfigName, policy);
        }
    }

    /// <summary>
    /// Unfinished runs of a running sweep that are neither queued nor assigned (a call that failed half-way
    /// left them so) go back to the queue, so that no run is forgotten. Returns whether there were any.
    /// </summary>
    public bool ReadmitStrays(IQueuePolicy policy)
    {
        if (Phase != SweepPhase.Running)
        {
            return false;
        }

        var queued = Queue.ToHashSet(StringComparer.Ordinal);
        var strays = Unended().Where(n => !queued.Contains(n) && !Assignments.ContainsKey(n)).ToList();
        foreach (var name in strays)
        {
            Readmit(name, policy);
        }

        return strays.Count > 0;
    }

    /// <summary>Assembly begins; returns what the assembler is given, with each run's curve and artifacts from <paramref name="records"/>, its own record.</summary>
    public SweepAssemblyInput BeginAssembly(string sweepId, DateTimeOffset now, IReadOnlyDictionary<string, RunOutcome>? records = null)
    {
        Phase = SweepPhase.Assembling;
        return AssemblyInput(sweepId, now, records);
    }

    /// <summary>Finished: the assembled keys, or the assembly's error (the keys of an earlier assembly are kept then).</summary>
    public void Assembled(SweepAssemblyInput input, AssemblyResult result, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(result);
        if (result.Error is null)
        {
            (ArtifactKeys, AssemblyError) = ([.. result.Keys], null);
        }
        else
        {
            AssemblyError = result.Error;
        }

        (MissingRuns, Phase, FinishedAt) = ([.. input.MissingRuns], SweepPhase.Finished, now);
    }

    public void RecordEpoch(RunStatus status, EpochReport epoch)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(epoch);
        Runs[status.ConfigName] = status;
    }

    /// <summary>
    /// What the watch saw of an assigned, healthy run: its record's status, newer than the sweep's when the
    /// sweep was activated afresh (reports are not stored here). In memory only, like a report.
    /// </summary>
    public void Observed(RunStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (Runs.TryGetValue(status.ConfigName, out var known) && known.UpdatedAt >= status.UpdatedAt)
        {
            return;
        }

        Runs[status.ConfigName] = status;
        if (status.IsTerminal)
        {
            RunsChanged++;
        }
    }

    /// <summary>A run's status as its own record answered (a cancel, a requeue).</summary>
    public void RecordStatus(RunStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        Runs[status.ConfigName] = status;
        RunsChanged++;
    }

    /// <summary>Whether <paramref name="executionId"/> is the execution the run is assigned to.</summary>
    public bool IsAssigned(string configName, Guid executionId) =>
        Assignments.TryGetValue(configName, out var assignment) && assignment.ExecutionId == executionId;

    /// <summary>Runs of the spec that have not reached a terminal phase.</summary>
    public IEnumerable<string> Unended() =>
        Spec is null ? [] : SpecRuns().Select(r => r.ConfigName).Where(n => !(Runs.TryGetValue(n, out var s) && s.IsTerminal));

    /// <summary>Takes a run's own account (on its end, or when the sweep starts it) as the truth; its curve and artifacts stay in its record.</summary>
    public void Record(RunOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        Runs[outcome.Status.ConfigName] = outcome.Status;
        RunsChanged++;
    }

    /// <summary>The work item a silo needs to train the run.</summary>
    public RunWorkItem WorkOf(string configName) =>
        RunWorkItem.For(Spec!, SpecRuns()[SpecOrders().TryGetValue(configName, out var i) ? i : throw new KeyNotFoundException($"run '{configName}' is not in the spec")]);

    public SweepStatus ToStatus(string sweepId, DateTimeOffset now)
    {
        var runs = Spec is null ? [] : SpecRuns()
            .Select(r => Runs.TryGetValue(r.ConfigName, out var s) ? s : RunStatus.NotStarted(new RunKey(sweepId, r.ConfigName), Spec.Budget.Epochs, now))
            .ToList();
        return new SweepStatus(sweepId, Phase, Spec, runs, SweepTotals.Of(runs), [.. MissingRuns], [.. ArtifactKeys], AssemblyError, StartedAt, FinishedAt);
    }

    public SweepAssemblyInput AssemblyInput(string sweepId, DateTimeOffset now, IReadOnlyDictionary<string, RunOutcome>? records = null)
    {
        var status = ToStatus(sweepId, now);
        var runs = SpecRuns().Zip(status.Runs, (d, s) => records is not null && records.TryGetValue(d.ConfigName, out var record)
                ? new AssemblyRun(d, s, [.. record.Curve], [.. record.ArtifactKeys])
                : new AssemblyRun(d, s, [], []))
            .ToList();
        var missing = runs.Where(r => !r.Completed).Select(r => r.Definition.ConfigName).ToList();
        return new SweepAssemblyInput(Spec!, runs, missing, sweepId);
    }

    /// <summary>Puts a run (not queued, or queued elsewhere) in the queue where the policy readmits it; no execution owns it now.</summary>
    private void Readmit(string configName, IQueuePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        Queue.Remove(configName);
        Assignments.Remove(configName);
        Queue.Insert(policy.Readmit(QueueView(), View(configName, SpecOrders())), configName);
    }

    private List<QueuedRun> QueueView()
    {
        var order = SpecOrders();
        return [.. Queue.Select(name => View(name, order))];
    }

    private QueuedRun View(string configName, Dictionary<string, int> specOrder) =>
        new(configName, specOrder.GetValueOrDefault(configName, int.MaxValue), Runs.TryGetValue(configName, out var s) ? s.Epoch : 0);

    private Dictionary<string, int> SpecOrders() => Spec is null ? [] : Expanded().Order;

    /// <summary>The spec's runs, expanded once per spec rather than on every claim, report and check.</summary>
    private IReadOnlyList<RunDefinition> SpecRuns() => Expanded().Runs;

    private ExpandedSpec Expanded()
    {
        if (_expanded is null || !ReferenceEquals(_expanded.Spec, Spec))
        {
            var runs = Spec!.Runs();
            _expanded = new ExpandedSpec(Spec, runs, runs.Select((r, i) => (r.ConfigName, i)).ToDictionary(p => p.ConfigName, p => p.i, StringComparer.Ordinal));
        }

        return _expanded;
    }

    private sealed record ExpandedSpec(SweepSpec Spec, IReadOnlyList<RunDefinition> Runs, Dictionary<string, int> Order);
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
