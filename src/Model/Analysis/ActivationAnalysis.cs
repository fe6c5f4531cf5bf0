namespace LearnedActivation.Model.Analysis;

/// <summary>
/// The known function nearest to the learned one, up to f ≈ alpha * g(a x + c) + beta.
/// </summary>
/// <param name="Name">
/// The winner's name, or, when several candidates fit equally well within <see cref="ActivationAnalysis.TieTolerance"/>,
/// all of them joined by '|' in <see cref="NearestFunction.Candidates"/> order ("tanh|sigmoid": the two are one
/// function up to the affine freedom, so picking one would be arbitrary).
/// </param>
/// <param name="Function">The candidate whose fit the other members report (the lowest error).</param>
/// <param name="Error">RMS(f - fit) / SD(f) over the analysis grid.</param>
public sealed record NearestSummary(string Name, string Function, double Error, double A, double C, double Alpha, double Beta);

/// <summary>
/// What metrics.json holds under <c>analysis</c>: the learned function measured over I = [p0.5, p99.5] of the
/// pooled pre-activations on <see cref="ActivationAnalyser.Points"/> evenly spaced points.
/// </summary>
/// <param name="Min">Left end of I.</param>
/// <param name="Max">Right end of I.</param>
/// <param name="Points">Grid points over I.</param>
/// <param name="Extrema">See <see cref="ActivationShape.Extrema"/>.</param>
/// <param name="ExtremaCount">Number of <paramref name="Extrema"/>.</param>
/// <param name="Dominant">See <see cref="ActivationShape.Dominant"/>.</param>
/// <param name="TotalVariation">See <see cref="ActivationShape.TotalVariation"/>.</param>
/// <param name="Asymmetry">See <see cref="ActivationShape.Asymmetry"/>.</param>
/// <param name="Tails">See <see cref="ActivationShape.Tails"/>.</param>
/// <param name="Nearest">The nearest known function.</param>
/// <param name="NearestAll">Every candidate's error, in <see cref="NearestFunction.Candidates"/> order.</param>
/// <param name="BaseDistance">The error of the run's own base activation as the candidate.</param>
public sealed record ActivationAnalysis(
    double Min,
    double Max,
    int Points,
    IReadOnlyList<Extremum> Extrema,
    int ExtremaCount,
    DominantExtremum? Dominant,
    double TotalVariation,
    double Asymmetry,
    TailSlopes Tails,
    NearestSummary Nearest,
    IReadOnlyDictionary<string, double> NearestAll,
    double BaseDistance)
{
    /// <summary>Candidates whose error is within max(0.001, 1% of the best) of the best tie with it.</summary>
    public static bool Ties(double error, double best) => error <= best + Math.Max(1e-3, 0.01 * best);

    /// <summary>The analysis document from a measured shape and one fit per candidate.</summary>
    /// <param name="baseName">The run's base as a candidate name (<c>Names.Of(base)</c>).</param>
    public static ActivationAnalysis From(double min, double max, int points, ActivationShape shape, IReadOnlyList<NearestFit> fits, string baseName)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(fits);
        if (fits.Count == 0)
        {
            throw new ArgumentException("no candidate fits", nameof(fits));
        }

        var best = fits.MinBy(f => f.Error)!;
        var tied = fits.Where(f => Ties(f.Error, best.Error)).Select(f => f.Function);
        var baseFit = fits.FirstOrDefault(f => f.Function == baseName)
            ?? throw new ArgumentException($"base '{baseName}' is not among the candidates ({string.Join(", ", fits.Select(f => f.Function))})", nameof(baseName));
        return new ActivationAnalysis(
            min,
            max,
            points,
            shape.Extrema,
            shape.Extrema.Count,
            shape.Dominant,
            shape.TotalVariation,
            shape.Asymmetry,
            shape.Tails,
            new NearestSummary(string.Join('|', tied), best.Function, best.Error, best.A, best.C, best.Alpha, best.Beta),
            fits.ToDictionary(f => f.Function, f => f.Error),
            baseFit.Error);
    }
}
