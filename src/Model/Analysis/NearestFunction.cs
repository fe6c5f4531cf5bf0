namespace LearnedActivation.Model.Analysis;

/// <summary>The best fit f ≈ Alpha * g(A x + C) + Beta of one known function g; Error = RMS / SD(f).</summary>
public sealed record NearestFit(string Function, double Error, double A, double C, double Alpha, double Beta);

/// <summary>
/// TEMPORARY STAND-IN, replaced at merge by the real fitter built in another worktree (same API). It fits only
/// alpha and beta with a = 1, c = 0, so that the pipeline around it can be built and tested meanwhile.
/// </summary>
public static class NearestFunction
{
    private static readonly (string Name, Func<double, double> G)[] Functions =
    [
        ("identity", u => u),
        ("tanh", Math.Tanh),
        ("sigmoid", u => 1 / (1 + Math.Exp(-u))),
        ("relu", u => Math.Max(u, 0)),
        ("leaky_relu", u => u > 0 ? u : 0.1 * u),
        ("elu", u => u > 0 ? u : Math.Exp(u) - 1),
        ("softplus", u => Math.Log(1 + Math.Exp(u))),
        ("gelu", u => 0.5 * u * (1 + Math.Tanh(0.7978845608 * (u + (0.044715 * u * u * u))))),
        ("silu", u => u / (1 + Math.Exp(-u))),
        ("mish", u => u * Math.Tanh(Math.Log(1 + Math.Exp(u)))),
        ("abs", Math.Abs),
        ("square", u => u * u),
    ];

    public static IReadOnlyList<string> Candidates { get; } = [.. Functions.Select(f => f.Name)];

    public static IReadOnlyList<NearestFit> FitAll(IReadOnlyList<double> x, IReadOnlyList<double> f)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(f);
        var n = f.Count;
        var meanF = f.Average();
        var sdF = Math.Sqrt(f.Sum(v => (v - meanF) * (v - meanF)) / n);
        var fits = new List<NearestFit>();
        foreach (var (name, g) in Functions)
        {
            var gx = x.Select(g).ToArray();
            var meanG = gx.Average();
            var cov = 0.0;
            var varG = 0.0;
            for (var i = 0; i < n; i++)
            {
                cov += (gx[i] - meanG) * (f[i] - meanF);
                varG += (gx[i] - meanG) * (gx[i] - meanG);
            }

            var alpha = varG > 0 ? cov / varG : 0;
            var beta = meanF - (alpha * meanG);
            var sse = 0.0;
            for (var i = 0; i < n; i++)
            {
                var r = f[i] - (alpha * gx[i]) - beta;
                sse += r * r;
            }

            fits.Add(new NearestFit(name, sdF > 0 ? Math.Sqrt(sse / n) / sdF : 0, 1, 0, alpha, beta));
        }

        return fits;
    }
}
