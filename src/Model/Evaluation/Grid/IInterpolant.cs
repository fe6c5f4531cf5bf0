namespace LearnedActivation.Model.Evaluation.Grid;

/// <summary>
/// A function given by its values at fixed <see cref="Points"/> and rebuilt between them: the grid
/// evaluator samples the activation network at the points and lets an interpolant do the rest.
/// </summary>
internal interface IInterpolant
{
    /// <summary>Where the function must be sampled, in the order <c>values</c> are given.</summary>
    float[] Points { get; }

    /// <summary>The interpolant through <paramref name="values"/> at every element of <paramref name="x"/>.</summary>
    void Forward(ReadOnlySpan<float> values, ReadOnlySpan<float> x, Span<float> output);

    /// <summary>
    /// Given dL/d output (<paramref name="upstream"/>), writes dL/dx and dL/d values (both overwritten).
    /// </summary>
    void Backward(ReadOnlySpan<float> values, ReadOnlySpan<float> x, ReadOnlySpan<float> upstream, Span<float> gradX, Span<float> gradValues);
}
