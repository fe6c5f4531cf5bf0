using LearnedActivation.Model.Bases;
using LearnedActivation.Model.Configuration;

namespace LearnedActivation.Model.Plots;

/// <summary>Curves of the plain base activations, for drawing learned functions against their base.</summary>
public static class BaseCurves
{
    /// <summary>The base activation sampled at <paramref name="x"/>, labelled with its name ("tanh").</summary>
    public static FunctionCurve Of(BaseActivation activation, double[] x, string? label = null) =>
        FunctionCurve.Sample(label ?? Names.Of(activation), x, BaseActivations.Of(activation).Evaluate);
}
