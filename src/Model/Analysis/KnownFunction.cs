using LearnedActivation.Model.Bases;

namespace LearnedActivation.Model.Analysis;

/// <summary>How a candidate's inner affine map (a, c) is fitted.</summary>
internal enum FitShape
{
    /// <summary>Any (a, c) gives the same fit: plain linear least squares.</summary>
    Linear,

    /// <summary>alpha * (a x + c)^2 + beta spans every quadratic with a non-zero x^2 term: quadratic least squares.</summary>
    Quadratic,

    /// <summary>g(-z) is an affine image of g(z), so a &gt; 0 covers every fit.</summary>
    MirrorSymmetric,

    /// <summary>Both signs of a must be searched.</summary>
    General,
}

/// <summary>A named known function g and how fits to it are searched.</summary>
internal sealed record KnownFunction(string Name, Func<double, double> Evaluate, FitShape Shape)
{
    private const double LeakyReluSlope = 0.1;

    /// <summary>The candidates in report order.</summary>
    public static IReadOnlyList<KnownFunction> All { get; } =
    [
        new("identity", z => z, FitShape.Linear),
        new("tanh", Math.Tanh, FitShape.MirrorSymmetric),
        new("sigmoid", Sigmoid, FitShape.MirrorSymmetric),
        new("relu", ReluBase.Evaluate, FitShape.General),
        new("leaky_relu", z => z > 0 ? z : LeakyReluSlope * z, FitShape.General),
        new("elu", z => z > 0 ? z : Math.Exp(z) - 1.0, FitShape.General),
        new("softplus", Softplus, FitShape.General),
        new("gelu", GeluBase.Evaluate, FitShape.General),
        new("silu", SiluBase.Evaluate, FitShape.General),
        new("mish", z => z * Math.Tanh(Softplus(z)), FitShape.General),
        new("abs", Math.Abs, FitShape.MirrorSymmetric),
        new("square", z => z * z, FitShape.Quadratic),
    ];

    /// <summary>1 / (1 + e^-z) without overflow for either sign.</summary>
    public static double Sigmoid(double z)
    {
        if (z >= 0)
        {
            return 1.0 / (1.0 + Math.Exp(-z));
        }

        var e = Math.Exp(z);
        return e / (1.0 + e);
    }

    /// <summary>log(1 + e^z) = max(z, 0) + log(1 + e^-|z|), keeping the e^z tail for very negative z.</summary>
    public static double Softplus(double z) => Math.Max(z, 0.0) + Log1P(Math.Exp(-Math.Abs(z)));

    /// <summary>
    /// log(1 + y) accurate for small y (Goldberg's trick: the rounding of 1 + y cancels in the ratio); .NET's
    /// LogP1 is log(1 + y) as written, which returns 0 for y below 1e-16 and would cut softplus's tail.
    /// </summary>
    private static double Log1P(double y)
    {
        var u = 1.0 + y;
        return u == 1.0 ? y : Math.Log(u) * y / (u - 1.0);
    }
}
