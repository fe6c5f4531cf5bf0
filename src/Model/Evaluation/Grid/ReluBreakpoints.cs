using System.Runtime.Intrinsics;

namespace LearnedActivation.Model.Evaluation.Grid;

/// <summary>
/// Where a relu activation network <c>1 -> h1 -> ... -> hk -> 1</c> bends. With relu between its layers the
/// network is piecewise linear in its scalar input: it bends exactly where some hidden unit's pre-activation
/// crosses zero. Found layer by layer: on each piece found so far every unit of the next layer is affine in x,
/// so its zero crossing (if any) inside the piece is one division, and it splits the piece.
/// Computed in double from the float weights; runs once per evaluation, so it avoids allocating per piece, sums
/// four outputs per vector (the same operations per output as one at a time) and skips the output layer's pieces,
/// which only the last hidden layer's cuts decide.
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

        // Every buffer comes from this thread's workspace: a training step calls this once per activation layer, and
        // the lists it used to allocate were most of a grid step's garbage (gen-0 collections in the step).
        var work = t_workspace ??= new Workspace();

        // Pieces of the current layer: boundaries[p] .. boundaries[p + 1], and on piece p the layer's
        // pre-activations are slopes[p * width + j] * x + offsets[p * width + j].
        var width = biases[0].Length;
        var boundaries = work.Boundaries.Reset();
        boundaries.Add(low);
        boundaries.Add(high);
        var slopes = work.Slopes.Reset();
        var offsets = work.Offsets.Reset();
        for (var j = 0; j < width; j++)
        {
            slopes.Add(weights[0][j]);
            offsets.Add(biases[0][j]);
        }

        var cuts = work.Cuts;
        for (var layer = 0; layer + 1 < weights.Length; layer++)
        {
            // The last hidden layer's cuts are the last bends: the output's own pieces are never needed.
            var lastLayer = layer + 2 == weights.Length;
            var nextWidth = biases[layer + 1].Length;
            var nextBias = biases[layer + 1];
            var nextBoundaries = work.NextBoundaries.Reset();
            nextBoundaries.Add(low);
            var activeUnits = work.ActiveUnits(width);
            var nextSlopes = work.NextSlopes.Reset();
            var nextOffsets = work.NextOffsets.Reset();
            var transposed = lastLayer ? default : work.Transposed(weights[layer + 1], nextWidth, width);
            for (var p = 0; p + 1 < boundaries.Count; p++)
            {
                var start = boundaries[p];
                var end = boundaries[p + 1];
                var at = p * width;
                cuts.Reset();
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

                cuts.Items.Sort();
                cuts.Add(end);
                var from = start;
                foreach (var cut in cuts.Items)
                {
                    if (!(cut > from))
                    {
                        continue;
                    }

                    nextBoundaries.Add(cut);
                    if (lastLayer)
                    {
                        from = cut;
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

                    var first = nextSlopes.Count;
                    for (var o = 0; o < nextWidth; o++)
                    {
                        nextSlopes.Add(0);
                        nextOffsets.Add(nextBias[o]);
                    }

                    NextLayer(
                        transposed,
                        nextWidth,
                        activeUnits[..active],
                        slopes.Items.Slice(at, width),
                        offsets.Items.Slice(at, width),
                        nextSlopes.Items.Slice(first, nextWidth),
                        nextOffsets.Items.Slice(first, nextWidth));
                    from = cut;
                }
            }

            // The next layer's pieces become the current ones; the old buffers are reused for the layer after.
            work.Boundaries = nextBoundaries;
            work.NextBoundaries = boundaries;
            boundaries = nextBoundaries;
            (work.Slopes, work.NextSlopes) = (nextSlopes, slopes);
            (work.Offsets, work.NextOffsets) = (nextOffsets, offsets);
            slopes = nextSlopes;
            offsets = nextOffsets;
            width = nextWidth;
        }

        var bends = work.Cuts.Reset();
        var last = low;
        for (var b = 1; b + 1 < boundaries.Count; b++)
        {
            if (boundaries[b] - last >= minGap && high - boundaries[b] >= minGap)
            {
                bends.Add(boundaries[b]);
                last = boundaries[b];
            }
        }

        return bends.Items.ToArray();
    }

    /// <summary>
    /// The next layer's pre-activations on one piece: per output o, slope and offset summed over the active units in
    /// order (inactive ones are relu(z) = 0 throughout the piece and pass nothing on), added to
    /// <paramref name="slopeSums"/> (zeros) and <paramref name="offsetSums"/> (the biases). Four outputs per vector,
    /// each lane the same multiply, then add, in the same order as one output at a time: the same bits.
    /// </summary>
    private static void NextLayer(ReadOnlySpan<double> transposed, int nextWidth, ReadOnlySpan<int> activeUnits, ReadOnlySpan<double> slopes, ReadOnlySpan<double> offsets, Span<double> slopeSums, Span<double> offsetSums)
    {
        var o = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; o + Vector256<double>.Count <= nextWidth; o += Vector256<double>.Count)
            {
                var slopeSum = Vector256.Create<double>(slopeSums.Slice(o));
                var offsetSum = Vector256.Create<double>(offsetSums.Slice(o));
                foreach (var i in activeUnits)
                {
                    var w = Vector256.Create<double>(transposed.Slice((i * nextWidth) + o));
                    slopeSum += w * slopes[i];
                    offsetSum += w * offsets[i];
                }

                slopeSum.CopyTo(slopeSums.Slice(o));
                offsetSum.CopyTo(offsetSums.Slice(o));
            }
        }

        for (; o < nextWidth; o++)
        {
            double slopeSum = slopeSums[o], offsetSum = offsetSums[o];
            foreach (var i in activeUnits)
            {
                var w = transposed[(i * nextWidth) + o];
                slopeSum += w * slopes[i];
                offsetSum += w * offsets[i];
            }

            (slopeSums[o], offsetSums[o]) = (slopeSum, offsetSum);
        }
    }

    [ThreadStatic]
    private static Workspace? t_workspace;

    /// <summary>One thread's buffers for <see cref="Find"/>: they grow to the largest network seen and stay.</summary>
    private sealed class Workspace
    {
        private int[] _activeUnits = [];
        private double[] _transposed = [];

        public Doubles Boundaries { get; set; } = new();

        public Doubles NextBoundaries { get; set; } = new();

        public Doubles Slopes { get; set; } = new();

        public Doubles Offsets { get; set; } = new();

        public Doubles NextSlopes { get; set; } = new();

        public Doubles NextOffsets { get; set; } = new();

        public Doubles Cuts { get; } = new();

        public Span<int> ActiveUnits(int width)
        {
            if (_activeUnits.Length < width)
            {
                _activeUnits = new int[width];
            }

            return _activeUnits.AsSpan(0, width);
        }

        /// <summary>W [out, in] as doubles, transposed to [in, out]: one unit's weights to all outputs side by side.</summary>
        public ReadOnlySpan<double> Transposed(float[] weights, int outputs, int inputs)
        {
            if (_transposed.Length < outputs * inputs)
            {
                _transposed = new double[outputs * inputs];
            }

            for (var o = 0; o < outputs; o++)
            {
                for (var i = 0; i < inputs; i++)
                {
                    _transposed[(i * outputs) + o] = weights[(o * inputs) + i];
                }
            }

            return _transposed.AsSpan(0, outputs * inputs);
        }
    }

    /// <summary>A list of doubles that keeps its array when reset.</summary>
    private sealed class Doubles
    {
        private double[] _items = new double[64];

        public int Count { get; private set; }

        public Span<double> Items => _items.AsSpan(0, Count);

        public double this[int index] => _items[index];

        public Doubles Reset()
        {
            Count = 0;
            return this;
        }

        public void Add(double value)
        {
            if (Count == _items.Length)
            {
                Array.Resize(ref _items, 2 * _items.Length);
            }

            _items[Count++] = value;
        }
    }
}
