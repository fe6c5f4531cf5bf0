namespace LearnedActivation.Model.Plots;

/// <summary>
/// Puts learned activation functions on a common footing so their shapes can be compared.
/// </summary>
/// <remarks>
/// A learned activation f is only determined up to an affine map a*f + b: the outer layer that consumes
/// its output multiplies by weights and adds a bias, so it absorbs any scale, offset or sign flip, and two
/// runs can learn "the same" function at different scales or upside down. Comparing raw curves would
/// mostly compare those arbitrary choices. <see cref="Affine"/> removes exactly that freedom and nothing
/// else: it subtracts the mean, divides by the standard deviation (both over the curve's x range), and
/// flips the sign if needed so the function rises on average (positive covariance with x), which is the
/// orientation of tanh, relu and gelu. Mean and standard deviation are weighted by x spacing
/// (trapezoidal weights), so they describe the function over the interval, independent of how densely
/// it was sampled where.
/// </remarks>
public static class CurveNormalisation
{
    /// <summary>
    /// (y - mean) / std, times -1 if y falls with x on average. A constant curve (std = 0) has no shape to
    /// compare and maps to zeros. The label and X are kept.
    /// </summary>
    public static FunctionCurve Affine(FunctionCurve curve)
    {
        ArgumentNullException.ThrowIfNull(curve);
        var x = curve.X;
        var y = curve.Y;
        var weights = TrapezoidWeights(x);
        var totalWeight = x[^1] - x[0];

        var meanX = WeightedSum(weights, x) / totalWeight;
        var meanY = WeightedSum(weights, y) / totalWeight;
        double varianceY = 0;
        double covarianceXy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            var dy = y[i] - meanY;
            varianceY += weights[i] * dy * dy;
            covarianceXy += weights[i] * (x[i] - meanX) * dy;
        }

        var std = Math.Sqrt(varianceY / totalWeight);

        // Relative threshold: a curve whose spread is rounding noise on its level is treated as constant.
        var scale = std > 1e-12 * Math.Max(1.0, Math.Abs(meanY)) ? 1.0 / std : 0.0;
        var sign = covarianceXy < 0 ? -1.0 : 1.0;
        var normalised = new double[y.Length];
        for (var i = 0; i < y.Length; i++)
        {
            normalised[i] = sign * scale * (y[i] - meanY);
        }

        return new FunctionCurve(curve.Label, x, normalised);
    }

    /// <summary>Weight of each sample in the trapezoidal rule; they sum to the interval's length.</summary>
    internal static double[] TrapezoidWeights(double[] x)
    {
        var weights = new double[x.Length];
        for (var i = 0; i < x.Length - 1; i++)
        {
            var half = (x[i + 1] - x[i]) / 2.0;
            weights[i] += half;
            weights[i + 1] += half;
        }

        return weights;
    }

    private static double WeightedSum(double[] weights, double[] values)
    {
        double sum = 0;
        for (var i = 0; i < values.Length; i++)
        {
            sum += weights[i] * values[i];
        }

        return sum;
    }
}
