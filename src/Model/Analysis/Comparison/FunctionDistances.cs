namespace LearnedActivation.Model.Analysis.Comparison;

/// <summary>
/// How different two learned functions are up to the affine freedom the surrounding layers absorb: the error of
/// the nearest fit of one as alpha * g(a z + c) + beta to the other (as <see cref="NearestFunction"/> fits known
/// functions), over the other's analysed interval in z-units, averaged over both directions so the distance is
/// symmetric. 0 means the same shape; about 1 means no better than a constant.
/// </summary>
public static class FunctionDistances
{
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
        Parallel.For(0, n * n, index =>
        {
            var (i, j) = (index / n, index % n);
            oneWay[i, j] = i == j ? 0.0 : OneWay(functions[i], functions[j]);
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
    private static double OneWay(StandardisedFunction f, StandardisedFunction g) =>
        NearestFunction.Fit(g.Name, g.Evaluate, f.Z, f.F).Error;
}
