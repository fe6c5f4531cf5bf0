namespace LearnedActivation.Model.Analysis;

/// <summary>
/// Which known function a sampled function is, up to the affine freedom f(x) -> alpha * f(a x + c) + beta that the
/// layers around an activation absorb: for each candidate g the minimum over a, c, alpha, beta of
/// RMS(f - alpha * g(a x + c) - beta) / SD(f), with equal weights on the samples.
/// </summary>
public static class NearestFunction
{
    private const int MinimumPoints = 3;

    /// <summary>The candidate names in report order: identity, tanh, sigmoid, relu, leaky_relu, elu, softplus, gelu, silu, mish, abs, square.</summary>
    public static IReadOnlyList<string> Candidates { get; } = [.. KnownFunction.All.Select(k => k.Name)];

    /// <summary>The candidate <paramref name="function"/> (a name from <see cref="Candidates"/>) at <paramref name="z"/>.</summary>
    public static double Evaluate(string function, double z) => Find(function).Evaluate(z);

    /// <summary>
    /// The best fit of every candidate (in <see cref="Candidates"/> order) to the samples (x[i], f[i]), equal weights.
    /// Throws <see cref="ArgumentException"/> on mismatched/short/non-finite input.
    /// </summary>
    public static IReadOnlyList<NearestFit> FitAll(IReadOnlyList<double> x, IReadOnlyList<double> f)
    {
        var fitter = Prepare(x, f);
        if (fitter is null)
        {
            return [.. Candidates.Select(name => Constant(name, f))];
        }

        var fits = KnownFunction.All.Select(k => fitter.Fit(k.Name, k.Evaluate, k.Shape)).ToArray();
        ShareTanhSigmoid(fitter, fits);
        return fits;
    }

    /// <summary>
    /// The best fit of one candidate (a name from <see cref="Candidates"/>) to the samples, as in <see cref="FitAll"/>.
    /// </summary>
    public static NearestFit Fit(string function, IReadOnlyList<double> x, IReadOnlyList<double> f)
    {
        var known = Find(function);
        var fitter = Prepare(x, f);
        if (fitter is null)
        {
            return Constant(known.Name, f);
        }

        if (known.Name is not ("tanh" or "sigmoid"))
        {
            return fitter.Fit(known.Name, known.Evaluate, known.Shape);
        }

        var pair = new[] { Find("tanh"), Find("sigmoid") }.Select(k => fitter.Fit(k.Name, k.Evaluate, k.Shape)).ToArray();
        ShareTanhSigmoid(fitter, pair);
        return pair.Single(r => r.Function == known.Name);
    }

    /// <summary>
    /// The best fit of any function <paramref name="g"/> (e.g. another run's learned function, defined wherever the
    /// search takes its argument) to the samples, searched as for the general candidates (both signs of a).
    /// </summary>
    public static NearestFit Fit(string name, Func<double, double> g, IReadOnlyList<double> x, IReadOnlyList<double> f)
    {
        ArgumentNullException.ThrowIfNull(g);
        var fitter = Prepare(x, f);
        return fitter is null ? Constant(name, f) : fitter.Fit(name, g, FitShape.General);
    }

    private static KnownFunction Find(string function) =>
        KnownFunction.All.FirstOrDefault(k => k.Name == function)
        ?? throw new ArgumentException($"Unknown function '{function}'; known: {string.Join(", ", Candidates)}.", nameof(function));

    /// <summary>Validates the samples; null when f is constant (no shape to fit).</summary>
    private static AffineFitter? Prepare(IReadOnlyList<double> x, IReadOnlyList<double> f)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(f);
        if (x.Count != f.Count)
        {
            throw new ArgumentException($"x has {x.Count} samples but f has {f.Count}.", nameof(f));
        }

        if (x.Count < MinimumPoints)
        {
            throw new ArgumentException($"At least {MinimumPoints} samples are needed, got {x.Count}.", nameof(x));
        }

        var xs = x.ToArray();
        var fs = f.ToArray();
        if (!xs.All(double.IsFinite) || !fs.All(double.IsFinite))
        {
            throw new ArgumentException("The samples must be finite.", nameof(x));
        }

        if (xs.Min() == xs.Max())
        {
            throw new ArgumentException("The x samples must span an interval.", nameof(x));
        }

        var (fMin, fMax) = (fs.Min(), fs.Max());
        return fMax - fMin <= 1e-12 * Math.Max(Math.Abs(fMin), Math.Abs(fMax)) ? null : new AffineFitter(xs, fs);
    }

    /// <summary>A constant f is fitted exactly by alpha = 0, beta = its mean, whatever g is.</summary>
    private static NearestFit Constant(string name, IReadOnlyList<double> f) => new(name, 0.0, 1.0, 0.0, 0.0, f.Average());

    /// <summary>
    /// tanh(z) = 2 sigmoid(2z) - 1, so each fit of one is a fit of the other: the better search result is given to
    /// both, making the tie between them exact rather than left to two independent searches.
    /// </summary>
    private static void ShareTanhSigmoid(AffineFitter fitter, NearestFit[] fits)
    {
        var tanhIndex = Array.FindIndex(fits, r => r.Function == "tanh");
        var sigmoidIndex = Array.FindIndex(fits, r => r.Function == "sigmoid");
        var (tanh, sigmoid) = (fits[tanhIndex], fits[sigmoidIndex]);
        var fromTanh = fitter.Finish("sigmoid", KnownFunction.Sigmoid, 2.0 * tanh.A, 2.0 * tanh.C);
        var fromSigmoid = fitter.Finish("tanh", Math.Tanh, 0.5 * sigmoid.A, 0.5 * sigmoid.C);
        fits[tanhIndex] = fromSigmoid.Error < tanh.Error ? fromSigmoid : tanh;
        fits[sigmoidIndex] = fromTanh.Error < sigmoid.Error ? fromTanh : sigmoid;
    }
}
