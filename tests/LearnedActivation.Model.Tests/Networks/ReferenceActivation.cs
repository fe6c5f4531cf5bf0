using LearnedActivation.Model.Bases;
using LearnedActivation.Model.Networks;

namespace LearnedActivation.Model.Tests.Networks;

/// <summary>
/// The activation network evaluated by hand in double precision from its weights: an oracle that does not
/// share code with the tensor path (base activation between layers, none after the last).
/// </summary>
internal static class ReferenceActivation
{
    public static double Evaluate(ActivationNetwork network, double x)
    {
        double[] values = [x];
        var layers = network.Layers;
        for (var l = 0; l < layers.Count; l++)
        {
            var weight = layers[l].weight!.data<float>().ToArray();
            var bias = layers[l].bias!.data<float>().ToArray();
            var next = new double[bias.Length];
            for (var o = 0; o < next.Length; o++)
            {
                var sum = (double)bias[o];
                for (var i = 0; i < values.Length; i++)
                {
                    sum += weight[(o * values.Length) + i] * values[i];
                }

                next[o] = l < layers.Count - 1 ? BaseActivations.Of(network.Base).Evaluate(sum) : sum;
            }

            values = next;
        }

        return values[0];
    }
}
