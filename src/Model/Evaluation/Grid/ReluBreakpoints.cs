using System.Runtime.InteropServices;

namespace LearnedActivation.Model.Evaluation.Grid;

/// <summary>
/// Where a relu activation network <c>1 -> h1 -> ... -> hk -> 1</c> bends. With relu between its layers the
/// network is piecewise linear in its scalar input: it bends exactly where some hidden unit's pre-activation
/// crosses zero. Found layer by layer: on each piece found so far every unit of the next layer is affine in x,
/// so its zero crossing (if any) inside the piece is one division, and it splits the piece.
/// Computed in double from the float weights; runs once per evaluation, so it avoids allocating per piece.
/// </summary>
internal static class ReluBreakpoints
{
    /// <summary>
    /// The bends strictly inside (<paramref name="low"/>, <paramref name="high"/>), ascending, with bends closer
    /// than <paramref name="minGap"/> to each other or to the ends merged away (a piece that narrow would leave no
    /// room for two float evaluation points inside it).
    /// </summary>
    /// <param name="weights">Per layer, [out, in] row-major as nn.Linear stores it; at least one hidden layer.</param>
    /// <param name="biases">Per layer, [out].</param>
    public static double[] Find(float[][] weights, float[][] biases, double low, double high, double minGap)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(biases);

        // Pieces of the current layer: boundaries[p] .. boundaries[p + 1], and on piece p the layer's
        // pre-activations are slopes[p * width + j] * x + offsets[p * width + j].
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
            var nextBoundaries = new List<double>(boundaries.Count * 2) { low };
            var activeUnits = new int[width];
            var nextSlopes = new List<double>(boundaries.Count * 2 * nextWidth);
            var nextOffsets = new List<double>(boundaries.Count * 2 * nextWidth);
            for (var p = 0; p + 1 < boundaries.Count; p++)
            {
                var start = boundaries[p];
                var end = boundaries[p + 1];
                var at = p * width;
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

                    // No unit changes sign inside [from, cut]: each is active or not throughout, so its relu is
                    // affine there, and so is the next layer's pre-activation W relu(z) + b.
                    var middle = (from + cut) / 2;
                    var active = 0;
                    for (var i = 0; i < width; i++)
                    {
                        if ((slopes[at + i] * middle) + offsets[at + i] > 0)
                        {
                            activeUnits[active++] = i;
                        }
                    }

                    // Only active units pass anything on: inactive ones are relu(z) = 0 throughout the piece. Each
                    // output sums over the active units in order; the outputs advance together, so their sums do not
                    // wait on one another.
                    var first = nextSlopes.Count;
                    for (var o = 0; o < nextWidth; o++)
                    {
                        nextSlopes.Add(0);
                        nextOffsets.Add(nextBias[o]);
                    }

                    var slopeSums = CollectionsMarshal.AsSpan(nextSlopes).Slice(first, nextWidth);
                    var offsetSums = CollectionsMarshal.AsSpan(nextOffsets).Slice(first, nextWidth);
                    for (var k = 0; k < active; k++)
                    {
                        var i = activeUnits[k];
                        var (slope, offset) = (slopes[at + i], offsets[at + i]);
                        for (var o = 0; o < nextWidth; o++)
                        {
                            var w = next[(o * width) + i];
                            slopeSums[o] += w * slope;
                            offsetSums[o] += w * offset;
                        }
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
