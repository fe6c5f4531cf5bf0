using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LearnedActivation.Model.Evaluation.Grid;

/// <summary>
/// Catmull-Rom cubic interpolation between K evenly spaced knots <c>low + k * step</c>. Beyond the end knots the
/// missing neighbour is the linear extrapolation of the last two; points outside the knots are extrapolated
/// from the end segments. The AVX2 and the scalar paths perform the same float operations in the same order
/// and agree bit for bit; sums over elements run in element order, so results are reproducible.
/// </summary>
internal sealed class CubicInterpolant : IInterpolant
{
    private readonly float _low;
    private readonly float _inverseStep;

    public CubicInterpolant(double low, double step, int knots)
    {
        _low = (float)low;
        _inverseStep = (float)(1 / step);
        Points = new float[knots];
        for (var k = 0; k < knots; k++)
        {
            Points[k] = (float)(low + (k * step));
        }
    }

    public float[] Points { get; }

    public void Forward(ReadOnlySpan<float> values, ReadOnlySpan<float> x, Span<float> output) =>
        Forward(x, Coefficients(values), _low, _inverseStep, output);

    public void Backward(ReadOnlySpan<float> values, ReadOnlySpan<float> x, ReadOnlySpan<float> upstream, Span<float> gradX, Span<float> gradValues)
    {
        var table = Coefficients(values);
        var moments = new float[table.Length];
        Backward(x, upstream, table, _low, _inverseStep, gradX, moments);
        KnotGradients(moments, gradValues);
    }

    /// <summary>
    /// Per segment i (between knots i and i+1) the cubic c0 + c1 t + c2 t^2 + c3 t^3 in the local coordinate
    /// t in [0, 1], stored at table[4i .. 4i+3]. With p0..p3 = y[i-1..i+2] (ends extrapolated):
    /// c0 = p1, c1 = (p2 - p0)/2, c2 = (2p0 - 5p1 + 4p2 - p3)/2, c3 = (-p0 + 3p1 - 3p2 + p3)/2.
    /// </summary>
    private static float[] Coefficients(ReadOnlySpan<float> y)
    {
        var segments = y.Length - 1;
        var table = new float[4 * segments];
        for (var i = 0; i < segments; i++)
        {
            var p0 = i > 0 ? y[i - 1] : (2 * y[0]) - y[1];
            var p1 = y[i];
            var p2 = y[i + 1];
            var p3 = i + 2 < y.Length ? y[i + 2] : (2 * y[^1]) - y[^2];
            table[(4 * i) + 0] = p1;
            table[(4 * i) + 1] = 0.5f * (p2 - p0);
            table[(4 * i) + 2] = 0.5f * ((2 * p0) - (5 * p1) + (4 * p2) - p3);
            table[(4 * i) + 3] = 0.5f * (-p0 + (3 * p1) - (3 * p2) + p3);
        }

        return table;
    }

    /// <summary>
    /// The transpose of <see cref="Coefficients"/>: from dL/dc (the moments sum g t^m per segment) to dL/dy,
    /// with the extrapolated end neighbours' shares returned to the knots they came from.
    /// </summary>
    private static void KnotGradients(ReadOnlySpan<float> moments, Span<float> gradY)
    {
        var k = gradY.Length;
        var padded = new double[k + 2]; // padded[j + 1] is knot j; [0] and [k + 1] are the extrapolated ends
        for (var i = 0; i < k - 1; i++)
        {
            double m0 = moments[4 * i], m1 = moments[(4 * i) + 1], m2 = moments[(4 * i) + 2], m3 = moments[(4 * i) + 3];
            padded[i] += 0.5 * (-m1 + (2 * m2) - m3);
            padded[i + 1] += m0 + (0.5 * ((-5 * m2) + (3 * m3)));
            padded[i + 2] += 0.5 * (m1 + (4 * m2) - (3 * m3));
            padded[i + 3] += 0.5 * (m3 - m2);
        }

        padded[1] += 2 * padded[0];
        padded[2] -= padded[0];
        padded[k] += 2 * padded[k + 1];
        padded[k - 1] -= padded[k + 1];
        for (var j = 0; j < k; j++)
        {
            gradY[j] = (float)padded[j + 1];
        }
    }

    // Hot loops: compiled optimised from the first call rather than once tiering notices them.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Forward(ReadOnlySpan<float> x, float[] table, float low, float inverseStep, Span<float> output)
    {
        var lastSegment = (table.Length / 4) - 1;
        var count = x.Length;
        var n = 0;
        fixed (float* xs = x, coefficients = table, ys = output)
        {
            if (Avx2.IsSupported)
            {
                var lows = Vector256.Create(low);
                var inverseSteps = Vector256.Create(inverseStep);
                var lasts = Vector256.Create((float)lastSegment);
                var offsets = stackalloc int[8];
                for (; n + 8 <= count; n += 8)
                {
                    var position = (Avx.LoadVector256(xs + n) - lows) * inverseSteps;
                    var segment = Avx.ConvertToVector256Int32WithTruncation(Avx.Min(Avx.Max(position, Vector256<float>.Zero), lasts));
                    var t = position - Avx.ConvertToVector256Single(segment);
                    Avx.Store(offsets, Avx2.ShiftLeftLogical(segment, 2));
                    Rows4.Load(coefficients, offsets, out var c0, out var c1, out var c2, out var c3);
                    Avx.Store(ys + n, c0 + (t * (c1 + (t * (c2 + (t * c3))))));
                }
            }

            for (; n < count; n++)
            {
                var position = (xs[n] - low) * inverseStep;
                var segment = (int)Math.Min(Math.Max(position, 0f), lastSegment);
                var t = position - segment;
                var c = coefficients + (4 * segment);
                ys[n] = c[0] + (t * (c[1] + (t * (c[2] + (t * c[3])))));
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> upstream, float[] table, float low, float inverseStep, Span<float> gradX, Span<float> moments)
    {
        var lastSegment = (table.Length / 4) - 1;
        var count = x.Length;
        var n = 0;
        fixed (float* xs = x, gs = upstream, coefficients = table, dxs = gradX, sums = moments)
        {
            if (Avx2.IsSupported)
            {
                var lows = Vector256.Create(low);
                var inverseSteps = Vector256.Create(inverseStep);
                var lasts = Vector256.Create((float)lastSegment);
                var twos = Vector256.Create(2f);
                var threes = Vector256.Create(3f);
                var offsets = stackalloc int[8];
                for (; n + 8 <= count; n += 8)
                {
                    var position = (Avx.LoadVector256(xs + n) - lows) * inverseSteps;
                    var segment = Avx.ConvertToVector256Int32WithTruncation(Avx.Min(Avx.Max(position, Vector256<float>.Zero), lasts));
                    var t = position - Avx.ConvertToVector256Single(segment);
                    Avx.Store(offsets, Avx2.ShiftLeftLogical(segment, 2));
                    Rows4.Load(coefficients, offsets, out _, out var c1, out var c2, out var c3);
                    var g = Avx.LoadVector256(gs + n);
                    Avx.Store(dxs + n, g * ((c1 + (t * ((twos * c2) + (threes * c3 * t)))) * inverseSteps));

                    // The moments go back lane by lane, in element order: a fixed sum order, as in the scalar path.
                    var gt = g * t;
                    var gt2 = gt * t;
                    Rows4.Add(sums, offsets, g, gt, gt2, gt2 * t);
                }
            }

            for (; n < count; n++)
            {
                var position = (xs[n] - low) * inverseStep;
                var segment = (int)Math.Min(Math.Max(position, 0f), lastSegment);
                var t = position - segment;
                var c = coefficients + (4 * segment);
                var g = gs[n];
                dxs[n] = g * ((c[1] + (t * ((2f * c[2]) + (3f * c[3] * t)))) * inverseStep);
                var gt = g * t;
                var gt2 = gt * t;
                var sum = sums + (4 * segment);
                sum[0] += g;
                sum[1] += gt;
                sum[2] += gt2;
                sum[3] += gt2 * t;
            }
        }
    }
}
