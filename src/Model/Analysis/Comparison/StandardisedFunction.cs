using System.Runtime.CompilerServices;

namespace LearnedActivation.Model.Analysis.Comparison;

/// <summary>
/// A run's learned function in the units of its own pre-activations: z = (x - p50) / (p75 - p25) of the pooled
/// distribution. The layers around an activation absorb any affine change of its input, so two runs' functions
/// are only comparable after this change of units (and, for their output, after the fit of alpha and beta that
/// <see cref="FunctionDistances"/> does).
/// </summary>
public sealed class StandardisedFunction
{
    /// <summary>Points of <see cref="Z"/> over the analysed interval: enough for the shapes these networks make, few
    /// enough that all pairwise fits of a few hundred runs take seconds.</summary>
    public const int ProfilePoints = 201;

    private readonly double[] _curveZ;
    private readonly double[] _curveY;

    private StandardisedFunction(string name, PreActivationStats pooled, double[] curveZ, double[] curveY)
    {
        Name = name;
        Pooled = pooled;
        _curveZ = curveZ;
        _curveY = curveY;
        var (low, high) = (ToZ(pooled.P0_5), ToZ(pooled.P99_5));
        Z = [.. Enumerable.Range(0, ProfilePoints).Select(i => i == ProfilePoints - 1 ? high : low + ((high - low) * i / (ProfilePoints - 1)))];
        F = [.. Z.Select(Evaluate)];
    }

    public string Name { get; }

    public PreActivationStats Pooled { get; }

    /// <summary>Evenly spaced z over [p0.5, p99.5] of the pooled pre-activations.</summary>
    public IReadOnlyList<double> Z { get; }

    /// <summary>The function at <see cref="Z"/>.</summary>
    public IReadOnlyList<double> F { get; }

    /// <summary>
    /// The function of a run from its sampled curve (x ascending) and its pooled pre-activation statistics; null when
    /// the statistics give no unit (zero interquartile range) or no interval to analyse.
    /// </summary>
    public static StandardisedFunction? From(string name, IReadOnlyList<double> x, IReadOnlyList<double> y, PreActivationStats? pooled)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (pooled is null || !(pooled.Iqr > 0) || !double.IsFinite(pooled.Iqr) || !ActivationAnalyser.CanAnalyse(pooled) || x.Count < 2 || x.Count != y.Count)
        {
            return null;
        }

        var z = x.Select(v => (v - pooled.P50) / pooled.Iqr).ToArray();
        return new StandardisedFunction(name, pooled, z, [.. y]);
    }

    public double ToZ(double x) => (x - Pooled.P50) / Pooled.Iqr;

    /// <summary>
    /// The function at any z: linear interpolation on the sampled curve, continued beyond its ends along the end
    /// segments' lines (activations are close to linear or flat out there, and the distance fits may probe there).
    /// </summary>
    public double Evaluate(double z)
    {
        var n = _curveZ.Length;
        int k;
        if (z <= _curveZ[0])
        {
            k = 0;
        }
        else if (z >= _curveZ[n - 1])
        {
            k = n - 2;
        }
        else
        {
            k = Array.BinarySearch(_curveZ, z);
            k = k >= 0 ? Math.Min(k, n - 2) : (~k) - 1;
        }

        return Interpolate(k, z);
    }

    /// <summary>
    /// <see cref="Evaluate"/> at a * x[i] + c for every i, to the bit: the distance fits evaluate a function along an
    /// affine map of an ascending profile thousands of times per pair, so the piece is found by walking from the last
    /// point's piece (amortised O(1) for a monotone argument, either direction) instead of a binary search per point.
    /// </summary>
    public void EvaluateAlong(double a, double c, ReadOnlySpan<double> x, Span<double> values)
    {
        if (values.Length < x.Length)
        {
            throw new ArgumentException($"{values.Length} values cannot hold {x.Length} points", nameof(values));
        }

        var last = _curveZ.Length - 2;
        var k = 0;
        for (var i = 0; i < x.Length; i++)
        {
            var z = (a * x[i]) + c;
            if (double.IsNaN(z))
            {
                // No piece holds NaN: whatever Evaluate does with it (it refuses it), this does too.
                values[i] = Evaluate(z);
                continue;
            }

            // The piece Evaluate takes: the last k <= n - 2 with curveZ[k] <= z (k = 0 below the first knot).
            while (k < last && _curveZ[k + 1] <= z)
            {
                k++;
            }

            while (k > 0 && _curveZ[k] > z)
            {
                k--;
            }

            values[i] = Interpolate(k, z);
        }
    }

    // Inlined: the distance fits spend a fifth of their time here, and the call itself showed up as much.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private double Interpolate(int k, double z)
    {
        var t = (z - _curveZ[k]) / (_curveZ[k + 1] - _curveZ[k]);
        return _curveY[k] + (t * (_curveY[k + 1] - _curveY[k]));
    }
}
