using LearnedActivation.Grains.Contracts;

namespace LearnedActivation.Grains.Sweeps;

/// <summary>What <see cref="SweepState.Undo"/> needs to take back a claim that could not be stored: the run, its place in the queue and its status before.</summary>
public sealed record ClaimUndo(string ConfigName, int Position, RunStatus Previous);
