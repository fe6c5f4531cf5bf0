namespace LearnedActivation.Model.Analysis.Comparison;

/// <summary>
/// How different two learned functions are up to the affine freedom the surrounding layers absorb: the error
/// RMS(f - alpha * g(a z + c) - beta) / SD(f) of the nearest fit of one to the other over the other's analysed
/// interval in z-units (alpha and beta in closed form, as <see cref="NearestFunction"/> fits known functions),
/// averaged over both directions so the distance is symmetric. 0 means the same shape; about 1 means no better
/// than a constant.
/// </summary>
/// <remarks>
/// Both functions are already in their own pre-activations' units, so the input map that matters lies near the
/// identity (a = ±1, c = 0): the search starts from a small grid around it (both signs, |a| from 1/2 to 2, shifts
/// of half an interquartile range) and refines the best starts with Nelder-Mead, instead of the wide search the
/// known functions get (whose natural scale is unknown). That keeps a few hundred runs' pairwise matrix to seconds;
/// a reported distance is the error of an actual fit, so it can only overstate a distance, never understate it.
/// </remarks>
public static class FunctionDistances
{
    private static readonly double[] StartLogScales = [-0.7, 0.0, 0.7];
    private static readonly double[] StartShifts = [-0.5, 0.0, 0.5];
    private const int RefinedStarts = 2;
    private const int MaxIterations = 200;

    public static double Between(StandardisedFunction f, StandardisedFunction g)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(g);
        return 0.5 * (OneWay(f, g) + OneWay(g, f));
    }

    /// <summary>The symmetric matrix of <see cref="Between"/> for every pair (zero diagonal), pairs computed in parallel.</summary>
    public static double[,] Matrix(IReadOnlyList<StandardisedFunction> functions)
    {
        ArgumentNullException.ThrowIfNull(functions);
        var n = functions.Count;
        var oneWay = new double[n, n];
        // A row per task: its fits share one fitter for f (the samples and buffers built once, not once per pair).
        Parallel.For(0, n, i =>
        {
            var fitter = FitterFor(functions[i]);
            for (var j = 0; j < n; j++)
            {
                oneWay[i, j] = i == j ? 0.0 : OneWay(fitter, functions[j]);
            }
        });
        var matrix = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                matrix[i, j] = 0.5 * (oneWay[i, j] + oneWay[j, i]);
            }
        }

        return matrix;
    }

    /// <summary>The error of fitting <paramref name="g"/> to <paramref name="f"/> over f's interval.</summary>
    private static double OneWay(StandardisedFunction f, StandardisedFunction g) => OneWay(FitterFor(f), g);

    private static AffineFitter FitterFor(StandardisedFunction f) => new([.. f.Z], [.. f.F]);

    private static double OneWay(AffineFitter fitter, StandardisedFunction g)
    {
        AffineFitter.AffineSampler sample = g.EvaluateAlong;
        double Error(double sign, double logScale, double shift) => fitter.Finish(g.Name, sample, sign * Math.Exp(logScale), shift).Error;
        var starts = from sign in new[] { 1.0, -1.0 }
                     from logScale in StartLogScales
                     from shift in StartShifts
                     select (Sign: sign, LogScale: logScale, Shift: shift, Error: Error(sign, logScale, shift));
        var best = double.PositiveInfinity;
        foreach (var start in starts.OrderBy(s => s.Error).Take(RefinedStarts))
        {
            var (_, _, value) = NelderMead2.Minimize(
                (l, c) => Error(start.Sign, Math.Clamp(l, -5.0, 5.0), c), start.LogScale, start.Shift, 0.3, 0.3, 1e-8, 1e-12, MaxIterations);
            best = Math.Min(best, Math.Min(value, start.Error));
        }

        return best;
    }
}
