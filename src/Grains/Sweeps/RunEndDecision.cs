namespace LearnedActivation.Grains.Sweeps;

/// <summary>What the sweep does with an execution's report that its run ended (<see cref="SweepState.Ended"/>).</summary>
public enum RunEndDecision
{
    /// <summary>Not from the assigned execution (a stale one, or an end already recorded): ignored.</summary>
    Stale,

    /// <summary>Recorded as the run's end.</summary>
    Recorded,

    /// <summary>Ended cancelled by a cancel that a resume has since withdrawn: the run is to be queued again.</summary>
    Requeue,
}
