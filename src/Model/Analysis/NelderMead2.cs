namespace LearnedActivation.Model.Analysis;

/// <summary>
/// Nelder-Mead minimisation in two dimensions (standard coefficients: reflect 1, expand 2, contract 1/2, shrink
/// 1/2). Derivative-free, so it copes with the kinks relu-like candidates put into the profiled objective.
/// </summary>
internal static class NelderMead2
{
    /// <summary>Minimises <paramref name="objective"/> from (<paramref name="x0"/>, <paramref name="y0"/>); returns the best point and its value.</summary>
    public static (double X, double Y, double Value) Minimize(
        Func<double, double, double> objective, double x0, double y0, double stepX, double stepY, double relativeTolerance, double absoluteTolerance, int maxIterations)
    {
        var xs = new[] { x0, x0 + stepX, x0 };
        var ys = new[] { y0, y0, y0 + stepY };
        var fs = new[] { objective(xs[0], ys[0]), objective(xs[1], ys[1]), objective(xs[2], ys[2]) };
        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            Order(xs, ys, fs);
            var scale = 1.0 + Math.Abs(xs[0]) + Math.Abs(ys[0]);
            var diameter = Diameter(xs, ys);
            if (diameter <= 1e-10 * scale || (fs[2] - fs[0] <= (relativeTolerance * fs[0]) + absoluteTolerance && diameter <= 1e-5 * scale))
            {
                break;
            }

            var cx = 0.5 * (xs[0] + xs[1]);
            var cy = 0.5 * (ys[0] + ys[1]);
            var rx = cx + (cx - xs[2]);
            var ry = cy + (cy - ys[2]);
            var fr = objective(rx, ry);
            if (fr < fs[0])
            {
                var ex = cx + (2.0 * (cx - xs[2]));
                var ey = cy + (2.0 * (cy - ys[2]));
                var fe = objective(ex, ey);
                Replace(xs, ys, fs, fe < fr ? (ex, ey, fe) : (rx, ry, fr));
            }
            else if (fr < fs[1])
            {
                Replace(xs, ys, fs, (rx, ry, fr));
            }
            else
            {
                // Contract towards the better of the reflected and the worst point.
                var outside = fr < fs[2];
                var kx = outside ? cx + (0.5 * (rx - cx)) : cx + (0.5 * (xs[2] - cx));
                var ky = outside ? cy + (0.5 * (ry - cy)) : cy + (0.5 * (ys[2] - cy));
                var fk = objective(kx, ky);
                if (fk < Math.Min(fr, fs[2]))
                {
                    Replace(xs, ys, fs, (kx, ky, fk));
                }
                else
                {
                    for (var i = 1; i < 3; i++)
                    {
                        xs[i] = xs[0] + (0.5 * (xs[i] - xs[0]));
                        ys[i] = ys[0] + (0.5 * (ys[i] - ys[0]));
                        fs[i] = objective(xs[i], ys[i]);
                    }
                }
            }
        }

        Order(xs, ys, fs);
        return (xs[0], ys[0], fs[0]);
    }

    private static void Replace(double[] xs, double[] ys, double[] fs, (double X, double Y, double F) point)
    {
        xs[2] = point.X;
        ys[2] = point.Y;
        fs[2] = point.F;
    }

    private static double Diameter(double[] xs, double[] ys)
    {
        var d = 0.0;
        for (var i = 1; i < 3; i++)
        {
            d = Math.Max(d, Math.Max(Math.Abs(xs[i] - xs[0]), Math.Abs(ys[i] - ys[0])));
        }

        return d;
    }

    private static void Order(double[] xs, double[] ys, double[] fs)
    {
        for (var i = 1; i < 3; i++)
        {
            for (var j = i; j > 0 && fs[j] < fs[j - 1]; j--)
            {
                (xs[j], xs[j - 1]) = (xs[j - 1], xs[j]);
                (ys[j], ys[j - 1]) = (ys[j - 1], ys[j]);
                (fs[j], fs[j - 1]) = (fs[j - 1], fs[j]);
            }
        }
    }
}
