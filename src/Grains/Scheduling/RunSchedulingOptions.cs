using System.ComponentModel.DataAnnotations;

namespace LearnedActivation.Grains.Scheduling;

/// <summary>How silos find work and how quickly a dead silo's runs move on (configuration section "Scheduling").</summary>
public sealed class RunSchedulingOptions : IValidatableObject
{
    public const string Section = "Scheduling";

    /// <summary>How often a silo with a free slot asks the active sweeps for a queued run (it asks at once when a slot frees up).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often a sweep checks that the silos executing its runs are alive. A dead silo's runs are queued
    /// again after this plus the time membership takes to declare the silo dead (ClusterMembershipOptions).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan HostCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often an execution asks its run's record whether it was cancelled or superseded, between its epoch reports.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// An assigned run whose execution has not been heard from (reports, and heartbeats every
    /// <see cref="HeartbeatInterval"/>) for this long is queued again: its claim's reply was lost, its end
    /// report was dropped, or its silo is cut off. An execution that hears nothing back for this long stops.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ExecutionLease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long an execution that is stopping (its silo going away, or superseded) may spend finishing the checkpoint it
    /// has in flight, and, stopping with its silo, delivering the report that names it; then its silo goes on without.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan StopGrace { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How many executions a run gets before it ends Failed. An execution that is lost (its silo crashed or was
    /// killed, or it fell silent past the lease) counts, so a run that crashes every silo it lands on stops
    /// after this many. A start or resume of the sweep gives its unfinished runs this many again. An execution
    /// that fails with an error ends its run Failed at once (retrying a deterministic error gains nothing).
    /// </summary>
    [Range(1, 1000)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Which queued run a claiming silo gets, and where interrupted runs rejoin the queue: a name in <see cref="QueuePolicies"/>.</summary>
    public string QueuePolicy { get; set; } = ProgressFirstPolicy.Name;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!QueuePolicies.Exists(QueuePolicy))
        {
            yield return new ValidationResult(
                $"unknown queue policy '{QueuePolicy}' (known: {string.Join(", ", QueuePolicies.Names)})", [nameof(QueuePolicy)]);
        }
    }
}
