namespace LearnedActivation.Model.Configuration;

/// <summary>Trainable parameters of a run's network: the outer layers (with the output layer) and the shared activation network.</summary>
/// <param name="Outer">Weights and biases of every outer layer, the output layer included.</param>
/// <param name="Activation">Weights and biases of the activation network; 0 for the fixed arms.</param>
public sealed record ParameterCounts(long Outer, long Activation)
{
    public long Total => Outer + Activation;

    /// <summary>An MLP <c>inputWidth -> hidden... -> 1</c> with biases.</summary>
    public static long OfOuter(int inputWidth, IReadOnlyList<int> hidden)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        return OfLayers([inputWidth, .. hidden, 1]);
    }

    /// <summary>The activation network <c>1 -> hidden... -> 1</c> with biases.</summary>
    public static long OfActivation(IReadOnlyList<int> hidden)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        return OfLayers([1, .. hidden, 1]);
    }

    private static long OfLayers(IReadOnlyList<int> widths)
    {
        long count = 0;
        for (var i = 0; i + 1 < widths.Count; i++)
        {
            count += ((long)widths[i] + 1) * widths[i + 1];
        }

        return count;
    }
}
