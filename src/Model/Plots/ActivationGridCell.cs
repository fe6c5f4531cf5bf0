using LearnedActivation.Model.Configuration;

namespace LearnedActivation.Model.Plots;

/// <summary>One panel of <see cref="ActivationGridPlot"/>: the run with this outer and activation-network size.</summary>
/// <param name="Outer">Outer network size: the panel's row.</param>
/// <param name="Activation">Activation-network size: the panel's column.</param>
/// <param name="Learned">The learned function, or null when the run failed or has no result (drawn as "missing").</param>
/// <param name="Base">The base function, drawn faintly behind; null to omit.</param>
public sealed record ActivationGridCell(SizePreset Outer, SizePreset Activation, FunctionCurve? Learned, FunctionCurve? Base = null);
