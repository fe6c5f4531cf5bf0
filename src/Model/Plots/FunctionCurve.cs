namespace LearnedActivation.Model.Plots;

/// <summary>
/// A univariate function sampled on a grid: what every figure here draws. Plain arrays so the training
/// code and the Orleans coordinator can both build one without sharing any other type.
/// </summary>
/// <param name="Label">Legend text ("learned", "tanh", "outer small / act medium").</param>
/// <param name="X">Strictly increasing, finite sample positions (at least two).</param>
/// <param name="Y">Finite function values, one per X.</param>
public sealed record FunctionCurve(string Label, double[] X, double[] Y)
{
    // Validation happens at construction so a bad curve (a diverged run's NaNs, mismatched arrays) fails
    // where it is made, with a message naming it, instead of deep inside a figure that mixes many runs.
    public string Label { get; init; } = Label ?? throw new ArgumentNullException(nameof(Label));

    public double[] X { get; init; } = CheckX(Label, X);

    public double[] Y { get; init; } = CheckY(Label, X, Y);

    /// <summary>Samples <paramref name="function"/> at <paramref name="x"/>.</summary>
    public static FunctionCurve Sample(string label, double[] x, Func<double, double> function)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(function);
        return new FunctionCurve(label, x, Array.ConvertAll(x, v => function(v)));
    }

    private static double[] CheckX(string? label, double[]? x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Length < 2)
        {
            throw new ArgumentException($"curve '{label}': needs at least 2 points (got {x.Length})", nameof(x));
        }

        for (var i = 0; i < x.Length; i++)
        {
            if (!double.IsFinite(x[i]))
            {
                throw new ArgumentException($"curve '{label}': X[{i}] is {x[i]}, not a finite number", nameof(x));
            }

            if (i > 0 && !(x[i] > x[i - 1]))
            {
                throw new ArgumentException($"curve '{label}': X must be strictly increasing (X[{i - 1}]={x[i - 1]}, X[{i}]={x[i]})", nameof(x));
            }
        }

        return x;
    }

    private static double[] CheckY(string? label, double[]? x, double[]? y)
    {
        ArgumentNullException.ThrowIfNull(y);
        if (x is not null && y.Length != x.Length)
        {
            throw new ArgumentException($"curve '{label}': {x.Length} X values but {y.Length} Y values", nameof(y));
        }

        for (var i = 0; i < y.Length; i++)
        {
            if (!double.IsFinite(y[i]))
            {
                throw new ArgumentException($"curve '{label}': Y[{i}] is {y[i]}, not a finite number", nameof(y));
            }
        }

        return y;
    }
}
