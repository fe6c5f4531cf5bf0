namespace LearnedActivation.Model.Analysis;

public enum ExtremumKind
{
    Min,
    Max,
}

/// <summary>A local minimum or maximum of the learned function inside the analysed interval.</summary>
/// <param name="X">Where it lies (the middle of a flat top or bottom).</param>
/// <param name="Z">(x - p50) / (p75 - p25) of the pooled pre-activations: its place in the data's own units.</param>
/// <param name="Kind">Minimum or maximum.</param>
/// <param name="Prominence">Topographic prominence divided by R = max f - min f over the interval.</param>
public sealed record Extremum(double X, double Z, ExtremumKind Kind, double Prominence);

/// <summary>The most prominent extremum, with its quantile in the pooled pre-activations.</summary>
public sealed record DominantExtremum(double X, double Z, ExtremumKind Kind, double Prominence, double Quantile);

/// <summary>
/// Mean |f'| over [p0.5, p5] (left) and [p95, p99.5] (right), each divided by the mean over the whole interval's
/// range, R / |I|; a side is flat below <see cref="ShapeAnalysis.FlatTail"/>.
/// </summary>
public sealed record TailSlopes(double Left, double Right, bool LeftFlat, bool RightFlat);

/// <summary>
/// The measured shape of a function over I = [p0.5, p99.5] of its pre-activations (see <see cref="ShapeAnalysis"/>).
/// </summary>
/// <param name="Extrema">Local minima and maxima inside I with prominence at least 2% of R, by x.</param>
/// <param name="Dominant">The most prominent of <paramref name="Extrema"/>; null when there is none.</param>
/// <param name="TotalVariation">∫|f'| over I divided by R: 1 exactly when f is monotone on I.</param>
/// <param name="Asymmetry">log2(mean |f'| over [p50, p99.5] / mean |f'| over [p0.5, p50]); ±∞ when one side is exactly flat, 0 when both are.</param>
/// <param name="Tails">Slopes at the two ends.</param>
public sealed record ActivationShape(
    IReadOnlyList<Extremum> Extrema,
    DominantExtremum? Dominant,
    double TotalVariation,
    double Asymmetry,
    TailSlopes Tails);
