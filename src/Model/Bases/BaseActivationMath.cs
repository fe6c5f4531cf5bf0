namespace LearnedActivation.Model.Bases;

/// <summary>
/// Special functions in double precision for the bases' scalar forms (gelu's exact x Phi(x) needs erf), which are
/// the references their vector forms are tested against: more accurate than anything the kernels compute.
/// </summary>
public static class BaseActivationMath
{
    // W. J. Cody, "Rational Chebyshev approximations for the error function", Math. Comp. 23 (1969) 631-637,
    // coefficients as in his SPECFUN routine CALERF (netlib, 1990). Three intervals: erf itself for
    // |x| <= 0.46875, erfc for 0.46875 < |x| <= 4 and for |x| > 4 (asymptotic in 1/x^2). Cody reports
    // relative errors below 6e-19 (interval 1), 7e-19 (interval 2) and 3e-20 (interval 3) for the
    // approximations themselves, so in double precision the result is within a few ulp: far inside the
    // 1e-7 this project needs, and the tests check it against known values.
    private static readonly double[] A = [3.16112374387056560e00, 1.13864154151050156e02, 3.77485237685302021e02, 3.20937758913846947e03, 1.85777706184603153e-1];
    private static readonly double[] B = [2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03, 2.84423683343917062e03];

    private static readonly double[] C =
    [
        5.64188496988670089e-1, 8.88314979438837594e00, 6.61191906371416295e01, 2.98635138197400131e02,
        8.81952221241769090e02, 1.71204761263407058e03, 2.05107837782607147e03, 1.23033935479799725e03,
        2.15311535474403846e-8,
    ];

    private static readonly double[] D =
    [
        1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02, 1.62138957456669019e03,
        3.29079923573345963e03, 4.36261909014324716e03, 3.43936767414372164e03, 1.23033935480374942e03,
    ];

    private static readonly double[] P = [3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1, 1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2];
    private static readonly double[] Q = [2.56852019228982242e00, 1.87295284992346047e00, 5.27905102951428412e-1, 6.05183413124413191e-2, 2.33520497626869185e-3];

    private const double OneOverSqrtPi = 5.6418958354775628695e-1;
    private const double FirstIntervalEnd = 0.46875;

    // Beyond this erfc(x) underflows relative to 1, so erf(x) is exactly 1 in double precision.
    private const double ErfIsOneBeyond = 26.543;

    /// <summary>The error function erf(x) = 2/sqrt(pi) * integral from 0 to x of exp(-t^2) dt.</summary>
    public static double Erf(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        var y = Math.Abs(x);
        if (y <= FirstIntervalEnd)
        {
            // Near zero erf is computed directly: going through 1 - erfc would lose its small value.
            var ysq = y * y;
            var num = A[4] * ysq;
            var den = ysq;
            for (var i = 0; i < 3; i++)
            {
                num = (num + A[i]) * ysq;
                den = (den + B[i]) * ysq;
            }

            return x * (num + A[3]) / (den + B[3]);
        }

        var erfc = y >= ErfIsOneBeyond ? 0.0 : Erfc(y);
        var result = (0.5 - erfc) + 0.5;
        return x < 0 ? -result : result;
    }

    /// <summary>erfc(y) for 0.46875 &lt; y &lt; 26.543 (Cody's second and third intervals).</summary>
    private static double Erfc(double y)
    {
        double ratio;
        if (y <= 4.0)
        {
            var num = C[8] * y;
            var den = y;
            for (var i = 0; i < 7; i++)
            {
                num = (num + C[i]) * y;
                den = (den + D[i]) * y;
            }

            ratio = (num + C[7]) / (den + D[7]);
        }
        else
        {
            var ysq = 1.0 / (y * y);
            var num = P[5] * ysq;
            var den = ysq;
            for (var i = 0; i < 4; i++)
            {
                num = (num + P[i]) * ysq;
                den = (den + Q[i]) * ysq;
            }

            ratio = (OneOverSqrtPi - (ysq * (num + P[4]) / (den + Q[4]))) / y;
        }

        // exp(-y^2) split as exp(-r^2) * exp(-(y - r)(y + r)) with r = y rounded down to 1/16: avoids the
        // rounding error of forming y*y directly (Cody's trick).
        var rounded = Math.Truncate(y * 16.0) / 16.0;
        var delta = (y - rounded) * (y + rounded);
        return Math.Exp(-rounded * rounded) * Math.Exp(-delta) * ratio;
    }
}
