using LearnedActivation.Grains.Contracts;

namespace LearnedActivation.Grains.Sweeps;

/// <summary>What the sweep's watch makes of one assigned run, having looked at the run's record and the cluster.</summary>
public enum AssignmentVerdict
{
    /// <summary>Its execution owns it, its silo is alive and it was heard from within the lease: leave it.</summary>
    Healthy,

    /// <summary>It ended without the sweep hearing of it: record its end.</summary>
    Ended,

    /// <summary>Its execution has been silent longer than the lease (a lost claim reply, a dropped end report, a cut-off silo): requeue.</summary>
    SilentTooLong,

    /// <summary>Its silo is dead, or not in the cluster at all: requeue.</summary>
    SiloGone,

    /// <summary>Its record names another execution, or none: requeue.</summary>
    Disowned,
}

/// <summary>The watch's decision for one assigned run. A crash is not a failure, and no run stays "running" forever.</summary>
public static class AssignmentCheck
{
    public static AssignmentVerdict Judge(RunObservation seen, bool siloAlive, TimeSpan lease)
    {
        ArgumentNullException.ThrowIfNull(seen);
        if (seen.Outcome.Status.IsTerminal)
        {
            return AssignmentVerdict.Ended;
        }

        var silentTooLong = seen.Silence > lease;
        if (siloAlive && seen.OwnedByExecution && !silentTooLong)
        {
            return AssignmentVerdict.Healthy;
        }

        return silentTooLong ? AssignmentVerdict.SilentTooLong : siloAlive ? AssignmentVerdict.Disowned : AssignmentVerdict.SiloGone;
    }

    /// <summary>Why a run was requeued, for the log.</summary>
    public static string Reason(AssignmentVerdict verdict) => verdict switch
    {
        AssignmentVerdict.SilentTooLong => "its execution has been silent too long",
        AssignmentVerdict.SiloGone => "its silo is gone",
        AssignmentVerdict.Disowned => "its record names another execution",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, "not a reason to requeue"),
    };
}
