using LearnedActivation.Model.Evaluation.Grid;

namespace LearnedActivation.Model.Tests.Evaluation.Grid;

/// <summary>
/// <see cref="ReluBreakpoints"/> against the straightforward computation it replaced (below, one output at a time,
/// every layer's pieces including the output's): the grid's relu results depend on the bends' exact bits, so the
/// faster one must find the very same doubles.
/// </summary>
public sealed class ReluBreakpointsTests
{
    private static readonly (double Low, double High)[] Ranges = [(-1, 1), (-6, 6), (-0.3, 25)];

    [Theory]
    [InlineData(new[] { 16 }, 1)]
    [InlineData(new[] { 16, 8 }, 2)]
    [InlineData(new[] { 32, 16 }, 3)]
    [InlineData(new[] { 32, 16, 8 }, 4)]
    [InlineData(new[] { 32, 16, 8 }, 5)]
    [InlineData(new[] { 7, 5, 3 }, 6)]
    [InlineData(new[] { 33, 17, 9, 6 }, 7)]
    public void TheBendsAreTheSameBitsAsOneOutputAtATime(int[] hidden, int seed)
    {
        var (weights, biases) = Network(hidden, seed);
        foreach (var (low, high) in Ranges)
        {
            var expected = Reference(weights, biases, low, high, (high - low) * 1e-6);
            var bends = ReluBreakpoints.Find(weights, biases, low, high, (high - low) * 1e-6);
            Assert.NotEmpty(expected);
            Assert.Equal(expected, bends);
        }
    }

    [Fact]
    public void BuffersLeftByALargerNetworkDoNotChangeASmallerOnesBends()
    {
        // Find reuses its thread's buffers from call to call: what a larger network left in them must not leak.
        var (largeWeights, largeBiases) = Network([33, 17, 9, 6], seed: 8);
        var (smallWeights, smallBiases) = Network([7, 5, 3], seed: 9);
        var expected = Reference(smallWeights, smallBiases, -6, 6, 12e-6);

        Assert.NotEmpty(ReluBreakpoints.Find(largeWeights, largeBiases, -6, 6, 12e-6));
        Assert.Equal(expected, ReluBreakpoints.Find(smallWeights, smallBiases, -6, 6, 12e-6));
        Assert.Equal(Reference(largeWeights, largeBiases, -1, 1, 2e-6), ReluBreakpoints.Find(largeWeights, largeBiases, -1, 1, 2e-6));
        Assert.Equal(expected, ReluBreakpoints.Find(smallWeights, smallBiases, -6, 6, 12e-6));
    }

    /// <summary>A relu network 1 -> hidden -> 1 initialised like nn.Linear: uniform within 1 / sqrt(fan in), and some exact zeros.</summary>
    private static (float[][] Weights, float[][] Biases) Network(int[] hidden, int seed)
    {
        var random = new Random(seed);
        int[] sizes = [1, .. hidden, 1];
        var weights = new float[sizes.Length - 1][];
        var biases = new float[sizes.Length - 1][];
        for (var l = 0; l + 1 < sizes.Length; l++)
        {
            var bound = 1 / Math.Sqrt(sizes[l]);
            weights[l] = [.. Enumerable.Range(0, sizes[l] * sizes[l + 1]).Select(i => i % 11 == 10 ? 0f : (float)(bound * ((2 * random.NextDouble()) - 1)))];
            biases[l] = [.. Enumerable.Range(0, sizes[l + 1]).Select(_ => (float)(bound * ((2 * random.NextDouble()) - 1)))];
        }

        return (weights, biases);
    }

    /// <summary>The earlier implementation, kept as the reference: a scalar sum per output, in unit order.</summary>
    internal static double[] Reference(float[][] weights, float[][] biases, double low, double high, double minGap)
    {
        var width = biases[0].Length;
        var boundaries = new List<double> { low, high };
        var slopes = new double[width];
        var offsets = new double[width];
        for (var j = 0; j < width; j++)
        {
            slopes[j] = weights[0][j];
            offsets[j] = biases[0][j];
        }

        var cuts = new List<double>();
        for (var layer = 0; layer + 1 < weights.Length; layer++)
        {
            var nextWidth = biases[layer + 1].Length;
            var next = weights[layer + 1];
            var nextBias = biases[layer + 1];
            var nextBoundaries = new List<double> { low };
            var nextSlopes = new List<double>();
            var nextOffsets = new List<double>();
            for (var p = 0; p + 1 < boundaries.Count; p++)
            {
                var (start, end, at) = (boundaries[p], boundaries[p + 1], p * width);
                cuts.Clear();
                for (var j = 0; j < width; j++)
                {
                    if (slopes[at + j] != 0)
                    {
                        var root = -offsets[at + j] / slopes[at + j];
                        if (root > start && root < end)
                        {
                            cuts.Add(root);
                        }
                    }
                }

                cuts.Sort();
                cuts.Add(end);
                var from = start;
                foreach (var cut in cuts)
                {
                    if (!(cut > from))
                    {
                        continue;
                    }

                    var middle = (from + cut) / 2;
                    for (var o = 0; o < nextWidth; o++)
                    {
                        double slope = 0, offset = nextBias[o];
                        for (var i = 0; i < width; i++)
                        {
                            if ((slopes[at + i] * middle) + offsets[at + i] > 0)
                            {
                                double w = next[(o * width) + i];
                                slope += w * slopes[at + i];
                                offset += w * offsets[at + i];
                            }
                        }

                        nextSlopes.Add(slope);
                        nextOffsets.Add(offset);
                    }

                    nextBoundaries.Add(cut);
                    from = cut;
                }
            }

            boundaries = nextBoundaries;
            slopes = [.. nextSlopes];
            offsets = [.. nextOffsets];
            width = nextWidth;
        }

        var bends = new List<double>();
        var last = low;
        for (var b = 1; b + 1 < boundaries.Count; b++)
        {
            if (boundaries[b] - last >= minGap && high - boundaries[b] >= minGap)
            {
                bends.Add(boundaries[b]);
                last = boundaries[b];
            }
        }

        return [.. bends];
    }
}
