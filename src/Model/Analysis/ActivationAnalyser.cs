using LearnedActivation.Model.Bases;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Networks;

namespace LearnedActivation.Model.Analysis;

/// <summary>
/// Analyses a trained activation network: evaluates it in double precision from its weights on an even grid
/// over [p0.5, p99.5] of the pooled pre-activations, measures its shape and fits the known functions.
/// Double precision from the weights (not the network's own evaluator) makes the result the same whatever
/// evaluation mode trained it, and keeps float rounding out of slopes and plateaus.
/// </summary>
public static class ActivationAnalyser
{
    /// <summary>Grid points over the analysed interval.</summary>
    public const int Points = 2001;

    /// <summary>Whether [p0.5, p99.5] is a finite interval of positive width, which the analysis needs.</summary>
    public static bool CanAnalyse(PreActivationStats pooled)
    {
        ArgumentNullException.ThrowIfNull(pooled);
        return double.IsFinite(pooled.P0_5) && double.IsFinite(pooled.P99_5) && pooled.P99_5 > pooled.P0_5;
    }

    /// <exception cref="ArgumentException">The pre-activations span no interval (see <see cref="CanAnalyse"/>).</exception>
    public static ActivationAnalysis Analyse(ActivationNetwork network, PreActivationStats pooled)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(pooled);
        var (min, max) = (pooled.P0_5, pooled.P99_5);
        if (!CanAnalyse(pooled))
        {
            throw new ArgumentException($"the pre-activations span no interval ([{min}, {max}])", nameof(pooled));
        }

        var x = new double[Points];
        for (var i = 0; i < Points; i++)
        {
            x[i] = i == Points - 1 ? max : min + ((max - min) * i / (Points - 1));
        }

        var f = Evaluate(network, x);
        var shape = ShapeAnalysis.Measure(x, f, pooled);
        return ActivationAnalysis.From(min, max, Points, shape, NearestFunction.FitAll(x, f), Names.Of(network.Base));
    }

    /// <summary>The network at each of <paramref name="x"/>, computed in double from its float weights.</summary>
    public static double[] Evaluate(ActivationNetwork network, IReadOnlyList<double> x)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(x);
        var sigma = BaseActivations.Of(network.Base);
        var layers = network.Layers
            .Select(l => (Weight: l.weight!.data<float>().ToArray(), Bias: l.bias!.data<float>().ToArray()))
            .ToArray();
        var result = new double[x.Count];
        for (var p = 0; p < x.Count; p++)
        {
            double[] values = [x[p]];
            for (var l = 0; l < layers.Length; l++)
            {
                var (weight, bias) = layers[l];
                var next = new double[bias.Length];
                for (var o = 0; o < next.Length; o++)
                {
                    var sum = (double)bias[o];
                    for (var i = 0; i < values.Length; i++)
                    {
                        sum += weight[(o * values.Length) + i] * values[i];
                    }

                    next[o] = l < layers.Length - 1 ? sigma.Evaluate(sum) : sum;
                }

                values = next;
            }

            result[p] = values[0];
        }

        return result;
    }
}
