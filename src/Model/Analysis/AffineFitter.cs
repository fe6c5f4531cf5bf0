namespace LearnedActivation.Model.Analysis;

/// <summary>
/// Fits f(x) ≈ alpha * g(a x + c) + beta to fixed samples for one g at a time. For each (a, c) alpha and beta are
/// the closed-form least-squares solution, so only (a, c) is searched: x is mapped onto u in [-1, 1] (the search is
/// then free of x's units), a grid of starts over log|a| and the point t = -c / a where g's bend lands is scored
/// on a subsample, as are shifts c at a small |a| (the gentle fits); the best local minima of both are refined with
/// Nelder-Mead on the subsample, the best of those polished on all points, and the reported fit is evaluated afresh
/// in x's units.
/// </summary>
internal sealed class AffineFitter
{
    /// <summary>Writes g(a * x[i] + c) for every i into values.</summary>
    public delegate void AffineSampler(double a, double c, ReadOnlySpan<double> x, Span<double> values);

    // |a| in u-units is kept within [1e-3, 1e4]. Below, g over the data is its tangent line or (at a smooth extremum)
    // its parabola to about 1e-3, limits the identity and square candidates give exactly; above, g's bend is a tenth
    // of the spacing of 2,001 points, a kink or step for all the data can tell.
    internal const double LogScaleMin = -6.907755278982137;
    internal const double LogScaleMax = 9.210340371976184;

    // g's variation below this fraction of its size is rounding noise, not a shape to scale up with alpha.
    private const double FlatRelative = 1e-12;

    private const int SubsampleTarget = 256;
    private const int RefinedStartsPerSign = 6;
    private const int PolishedStarts = 2;
    private const int MaxIterations = 400;

    private static readonly double[] StartScales = [0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0, 1000.0];
    private const double GentleScale = 0.01;
    private static readonly double[] StartShifts = [.. Enumerable.Range(0, 41).Select(i => -5.0 + (0.25 * i))];
    private static readonly double[] StartBends = [.. Enumerable.Range(0, 17).Select(i => -2.0 + (0.25 * i))];

    private readonly double[] _x;
    private readonly double[] _f;
    private readonly double[] _u;
    private readonly double[] _fCentered;
    private readonly double[] _h;
    private readonly Samples _all;
    private readonly Samples? _subsample;
    private readonly double _center;
    private readonly double _halfWidth;
    private readonly double _fMean;
    private readonly double _fSumOfSquares;

    public AffineFitter(double[] x, double[] f)
    {
        _x = x;
        _f = f;
        var n = x.Length;
        var (xMin, xMax) = (x.Min(), x.Max());
        _center = 0.5 * (xMin + xMax);
        _halfWidth = 0.5 * (xMax - xMin);
        _u = [.. x.Select(v => (v - _center) / _halfWidth)];
        _fMean = f.Average();
        _fCentered = [.. f.Select(v => v - _fMean)];
        _fSumOfSquares = _fCentered.Sum(v => v * v);
        _h = new double[n];
        var stride = Math.Max(1, n / SubsampleTarget);
        _all = new Samples(_u, _fCentered, 1.0);
        if (stride > 1)
        {
            var picked = Enumerable.Range(0, ((n - 1) / stride) + 1).Select(i => i * stride).ToArray();
            _subsample = new Samples([.. picked.Select(i => _u[i])], [.. picked.Select(i => _fCentered[i])], (double)n / picked.Length);
        }
    }

    public NearestFit Fit(string name, Func<double, double> g, FitShape shape) => shape switch
    {
        FitShape.Linear => Finish(name, g, 1.0, 0.0),
        FitShape.Quadratic => FitQuadratic(name, g),
        FitShape.MirrorSymmetric => Search(name, g, [1.0]),
        _ => Search(name, g, [1.0, -1.0]),
    };

    /// <summary>The fit for g at fixed (a, c) in x's units, alpha and beta in closed form, the error evaluated directly.</summary>
    public NearestFit Finish(string name, Func<double, double> g, double a, double c)
    {
        var n = _x.Length;
        for (var i = 0; i < n; i++)
        {
            _h[i] = g((a * _x[i]) + c);
        }

        return FinishSampled(name, a, c);
    }

    /// <summary><see cref="Finish(string, Func{double, double}, double, double)"/> for a g that evaluates itself along a * x + c in one call.</summary>
    public NearestFit Finish(string name, AffineSampler g, double a, double c)
    {
        ArgumentNullException.ThrowIfNull(g);
        g(a, c, _x, _h);
        return FinishSampled(name, a, c);
    }

    /// <summary>The fit from g(a x + c), already in the buffer.</summary>
    private NearestFit FinishSampled(string name, double a, double c)
    {
        var n = _x.Length;
        var (alpha, hMean) = Slope(_h);
        var beta = _fMean - (alpha * hMean);
        var sum = 0.0;
        for (var i = 0; i < n; i++)
        {
            var r = _f[i] - (alpha * _h[i]) - beta;
            sum += r * r;
        }

        return new NearestFit(name, Math.Sqrt(sum / _fSumOfSquares), a, c, alpha, beta);
    }

    private NearestFit Search(string name, Func<double, double> g, double[] signs)
    {
        // Refine many starts cheaply on the subsample, then polish the best few on all points. Bent fits are
        // searched in (log|a|, bend); gentle ones (small |a|, where g's curvature near a chosen point mimics a line or
        // a parabola, e.g. gelu's minimum fitting a square) in (log|a|, shift), where the valley towards a -> 0 is straight.
        var sampled = _subsample ?? _all;
        var refined = new List<(Start Start, double Value)>();
        foreach (var sign in signs)
        {
            foreach (var (logScale, bend) in GridMinima(g, sign))
            {
                refined.Add(Refine(g, new Start(sign, logScale, bend, false), 0.5, 0.125, sampled, 1e-8));
            }

            foreach (var shift in GentleMinima(g, sign))
            {
                refined.Add(Refine(g, new Start(sign, Math.Log(GentleScale), shift, true), 0.5, 0.25, sampled, 1e-8));
            }
        }

        var best = (Start: new Start(1.0, 0.0, 0.0, false), Value: double.PositiveInfinity);
        foreach (var (start, value) in refined.OrderBy(r => r.Value).Take(_subsample is null ? 1 : PolishedStarts))
        {
            (Start Start, double Value) polished = _subsample is null ? (start, value) : Refine(g, start, 0.05, start.ByShift ? 0.05 : 0.02, _all, 1e-11);
            if (polished.Value < best.Value)
            {
                best = polished;
            }
        }

        var scale = best.Start.Scale;
        var a = scale / _halfWidth;
        return Finish(name, g, a, best.Start.Shift - (a * _center));
    }

    private (Start Start, double Value) Refine(
        Func<double, double> g, Start start, double logStep, double step, Samples samples, double relativeTolerance)
    {
        var (l, y, value) = NelderMead2.Minimize(
            (l, y) => Profiled(g, start with { LogScale = l, Position = y }, samples),
            start.LogScale, start.Position, logStep, step, relativeTolerance, 1e-15 * _fSumOfSquares, MaxIterations);
        return (start with { LogScale = Math.Clamp(l, LogScaleMin, LogScaleMax), Position = y }, value);
    }

    private double Profiled(Func<double, double> g, Start start, Samples samples) =>
        Profiled(g, start.Scale, start.ByShift ? -start.Position / start.Scale : start.Position, samples);

    /// <summary>The shifts at a small scale that are no worse than their neighbours, best first, at most two.</summary>
    private IEnumerable<double> GentleMinima(Func<double, double> g, double sign)
    {
        var scale = sign * GentleScale;
        var values = StartShifts.Select(shift => Profiled(g, scale, -shift / scale, _subsample ?? _all)).ToArray();
        return Enumerable.Range(0, values.Length)
            .Where(j => (j == 0 || values[j] <= values[j - 1]) && (j == values.Length - 1 || values[j] <= values[j + 1]))
            .OrderBy(j => values[j]).Take(2).Select(j => StartShifts[j]);
    }

    /// <summary>The starts of the grid that are no worse than their four neighbours, best first, at most a few.</summary>
    private IEnumerable<(double LogScale, double Bend)> GridMinima(Func<double, double> g, double sign)
    {
        var rows = StartScales.Length;
        var columns = StartBends.Length;
        var values = new double[rows, columns];
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < columns; j++)
            {
                values[i, j] = Profiled(g, sign * StartScales[i], StartBends[j], _subsample ?? _all);
            }
        }

        var minima = new List<(double Value, int Row, int Column)>();
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < columns; j++)
            {
                var v = values[i, j];
                var isMinimum = (i == 0 || v <= values[i - 1, j]) && (i == rows - 1 || v <= values[i + 1, j])
                    && (j == 0 || v <= values[i, j - 1]) && (j == columns - 1 || v <= values[i, j + 1]);
                if (isMinimum)
                {
                    minima.Add((v, i, j));
                }
            }
        }

        return minima.OrderBy(m => m.Value).Take(RefinedStartsPerSign)
            .Select(m => (Math.Log(StartScales[m.Row]), StartBends[m.Column]));
    }

    /// <summary>
    /// The least-squares residual sum of squares of f against alpha * g(scale * (u - bend)) + beta over the samples,
    /// alpha and beta profiled out, scaled to all points. One pass without a buffer: h is shifted by its first value
    /// so its sum of squares does not cancel when g's offset dwarfs its variation; the final subtraction limits the
    /// value to about 1e-16 of f's sum of squares, ample for the search (the reported error is computed directly).
    /// </summary>
    private double Profiled(Func<double, double> g, double scale, double bend, Samples samples)
    {
        if (!double.IsFinite(bend))
        {
            return _fSumOfSquares;
        }

        var (u, fc) = (samples.U, samples.FCentered);
        var shift = g(scale * (u[0] - bend));
        double sum = 0, squares = 0, cross = 0, hMax = Math.Abs(shift);
        for (var i = 0; i < u.Length; i++)
        {
            var h = g(scale * (u[i] - bend));
            var d = h - shift;
            sum += d;
            squares += d * d;
            cross += d * fc[i];
            hMax = Math.Max(hMax, Math.Abs(h));
        }

        var hSquares = squares - (sum * sum / u.Length);
        var flat = FlatRelative * hMax;
        if (!(hSquares > u.Length * flat * flat) || !double.IsFinite(hSquares))
        {
            return _fSumOfSquares;
        }

        var centredCross = cross - (sum * samples.FSum / u.Length);
        return Math.Max(0.0, samples.FSquares - (centredCross * centredCross / hSquares)) * samples.Weight;
    }

    /// <summary>The least-squares slope of centred f on h (0 when h is flat) and h's mean.</summary>
    private (double Alpha, double HMean) Slope(double[] h)
    {
        var count = h.Length;
        var hMean = 0.0;
        var hMax = 0.0;
        for (var k = 0; k < count; k++)
        {
            hMean += h[k];
            hMax = Math.Max(hMax, Math.Abs(h[k]));
        }

        hMean /= count;
        var cross = 0.0;
        var hSquares = 0.0;
        for (var k = 0; k < count; k++)
        {
            var d = h[k] - hMean;
            cross += d * _fCentered[k];
            hSquares += d * d;
        }

        var flat = FlatRelative * hMax;
        return hSquares <= count * flat * flat || !double.IsFinite(hSquares) ? (0.0, hMean) : (cross / hSquares, hMean);
    }

    /// <summary>
    /// alpha (a x + c)^2 + beta spans the quadratics with a non-zero x^2 term, so the fit is quadratic least squares
    /// in u; a is fixed to 1 / halfWidth (alpha absorbs |a|, and the sign of a does not matter).
    /// </summary>
    private NearestFit FitQuadratic(string name, Func<double, double> g)
    {
        // Orthogonal basis 1, u - mean u, u^2 - its projections: stable, and mean f fixes the constant.
        var n = _u.Length;
        var uMean = _u.Average();
        var q1 = _u.Select(v => v - uMean).ToArray();
        var q1Squares = q1.Sum(v => v * v);
        var u2Mean = _u.Average(v => v * v);
        var u2Onq1 = 0.0;
        for (var i = 0; i < n; i++)
        {
            u2Onq1 += ((_u[i] * _u[i]) - u2Mean) * q1[i];
        }

        var k = u2Onq1 / q1Squares;
        var q2 = new double[n];
        for (var i = 0; i < n; i++)
        {
            q2[i] = (_u[i] * _u[i]) - u2Mean - (k * q1[i]);
        }

        var c1 = Dot(_fCentered, q1) / q1Squares;
        var q2Squares = Dot(q2, q2);
        var c2 = q2Squares > 0 ? Dot(_fCentered, q2) / q2Squares : 0.0;

        // f ≈ c2 u^2 + (c1 - c2 k) u + const; with a = 1 in u, c = p1 / (2 p2), kept finite when p2 vanishes.
        const double MaxShift = 1e8;
        var p2 = c2;
        var p1 = c1 - (c2 * k);
        var shift = Math.Abs(p1) < 2.0 * MaxShift * Math.Abs(p2) ? p1 / (2.0 * p2) : MaxShift * (p1 * p2 < 0 ? -1.0 : 1.0);
        var a = 1.0 / _halfWidth;
        return Finish(name, g, a, shift - (a * _center));
    }

    private static double Dot(double[] p, double[] q)
    {
        var sum = 0.0;
        for (var i = 0; i < p.Length; i++)
        {
            sum += p[i] * q[i];
        }

        return sum;
    }
}

/// <summary>The points a profiled objective runs over; Weight scales a subsample's sums to all points.</summary>
internal sealed class Samples(double[] u, double[] fCentered, double weight)
{
    public double[] U { get; } = u;

    public double[] FCentered { get; } = fCentered;

    public double Weight { get; } = weight;

    /// <summary>The sum of f over these points (zero to rounding on all points, not on a subsample).</summary>
    public double FSum { get; } = fCentered.Sum();

    /// <summary>The sum of squares of f about its mean over these points.</summary>
    public double FSquares { get; } = fCentered.Sum(v => v * v) - (fCentered.Sum() * fCentered.Sum() / fCentered.Length);
}

/// <summary>
/// A point of the (a, c) search in u-units: a = Sign * exp(LogScale) (clamped), and Position either the bend
/// t (argument a (u - t)) or, when ByShift, the shift c (argument a u + c).
/// </summary>
internal readonly record struct Start(double Sign, double LogScale, double Position, bool ByShift)
{
    public double Scale => Sign * Math.Exp(Math.Clamp(LogScale, AffineFitter.LogScaleMin, AffineFitter.LogScaleMax));

    public double Shift => ByShift ? Position : -Scale * Position;
}
