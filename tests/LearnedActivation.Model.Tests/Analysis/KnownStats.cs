using LearnedActivation.Model.Analysis;

namespace LearnedActivation.Model.Tests.Analysis;

/// <summary>Pre-activation statistics and analyses with round numbers, for tests that need one without training.</summary>
internal static class KnownStats
{
    /// <summary>Symmetric about 0: I = [-4, 4], quartiles ±1 (s = 2), p5/p95 at ±2.</summary>
    public static PreActivationStats Symmetric { get; } = new(1000, -4, -2, -1, 0, 1, 2, 4, 0, 1.5);

    /// <summary>I = [-3, 5], so a grid of 2,001 points steps by 0.004 and holds x = 1 exactly; p50 = 0, s = 2.</summary>
    public static PreActivationStats Shifted { get; } = new(1000, -3, -2, -1, 0, 1, 3, 5, 0.1, 1.8);

    /// <summary>An analysis as a completed run would carry it: one minimum at z = 0.25, nearest tanh|sigmoid.</summary>
    public static ActivationAnalysis Analysis(double asymmetry = -0.75) => new(
        -4,
        4,
        ActivationAnalyser.Points,
        [new Extremum(0.5, 0.25, ExtremumKind.Min, 0.6)],
        1,
        new DominantExtremum(0.5, 0.25, ExtremumKind.Min, 0.6, 0.6),
        1.6,
        asymmetry,
        new TailSlopes(0.05, 1.2, true, false),
        new NearestSummary("tanh|sigmoid", "tanh", 0.0312, 1.5, 0.2, 2, -1),
        new Dictionary<string, double> { ["identity"] = 0.5, ["tanh"] = 0.0312, ["sigmoid"] = 0.0313 },
        0.0312);

    /// <summary>The evenly spaced grid the analyser uses over I of <paramref name="stats"/>, with <paramref name="f"/> on it.</summary>
    public static (double[] X, double[] F) Sample(PreActivationStats stats, Func<double, double> f)
    {
        var x = Enumerable.Range(0, ActivationAnalyser.Points)
            .Select(i => stats.P0_5 + ((stats.P99_5 - stats.P0_5) * i / (ActivationAnalyser.Points - 1)))
            .ToArray();
        return (x, x.Select(f).ToArray());
    }
}
