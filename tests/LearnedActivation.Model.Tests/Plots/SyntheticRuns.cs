using LearnedActivation.Model.Bases;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Plots;

namespace LearnedActivation.Model.Tests.Plots;

/// <summary>Deterministic stand-ins for training output, shaped like what the study produces.</summary>
internal static class SyntheticRuns
{
    /// <summary>Seeded normal samples (Box-Muller), like a layer's pre-activations.</summary>
    public static double[] Normal(int count, double mean, double std, int seed)
    {
        var random = new Random(seed);
        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            values[i] = mean + (std * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }

        return values;
    }

    /// <summary>A plausible learned function: a distorted, rescaled and shifted version of its base.</summary>
    public static FunctionCurve Learned(BaseActivation activation, double[] x, int variant, string label = "learned")
    {
        var scale = 0.6 + (0.25 * variant);
        var sign = variant % 4 == 3 ? -1.0 : 1.0;
        return FunctionCurve.Sample(label, x, v =>
            sign * ((scale * BaseActivations.Of(activation).Evaluate((1.0 + (0.1 * variant)) * v)) + (0.08 * variant * Math.Sin(v)) - (0.05 * variant)));
    }

    public static EpochSeries Run(string name, int epochs, double finalAccuracy)
    {
        var train = new double[epochs];
        var validationLoss = new double[epochs];
        var accuracy = new double[epochs];
        for (var e = 0; e < epochs; e++)
        {
            var progress = 1.0 - Math.Exp(-(e + 1) / 4.0);
            train[e] = 0.65 - (0.25 * progress);
            validationLoss[e] = 0.66 - (0.22 * progress) + (0.004 * e * e / epochs);
            accuracy[e] = 0.6 + ((finalAccuracy - 0.6) * progress);
        }

        return new EpochSeries(name, train, validationLoss, accuracy);
    }
}
