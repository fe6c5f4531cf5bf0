namespace LearnedActivation.Model.Data;

/// <summary>
/// Train / validation / test split as in the tabular benchmark of Grinsztajn et al. (2022), stratified by
/// label and fully determined by the seed, followed by standardisation with the training split's statistics.
/// </summary>
public static class BenchmarkSplit
{
    /// <summary>
    /// Splits <paramref name="data"/>: train = min(<see cref="SplitLimits.MaxTrainRows"/>, floor(TrainFraction x rows));
    /// validation = min(MaxEvaluationRows, floor(ValidationFraction x rest)); test = min(MaxEvaluationRows, the remaining rest).
    /// Each class contributes to each split in proportion to its size (largest-remainder rounding), so class
    /// ratios agree across splits. Rows are drawn with <c>SplitMix64(seed)</c>, so a seed gives the same split
    /// on every platform and .NET version. Features are then standardised with the train split's mean and
    /// population standard deviation (see <see cref="FeatureStandardizer"/>).
    /// </summary>
    /// <exception cref="DataException">Too few rows for three non-empty splits.</exception>
    public static DataSplits Split(TabularData data, long seed, SplitLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        limits ??= SplitLimits.Default;
        limits.Validate();

        var rows = data.Rows;
        var trainSize = Math.Min(limits.MaxTrainRows, FloorFraction(limits.TrainFraction, rows));
        var rest = rows - trainSize;
        var validationUncapped = FloorFraction(limits.ValidationFraction, rest);
        var validationSize = Math.Min(limits.MaxEvaluationRows, validationUncapped);
        var testSize = Math.Min(limits.MaxEvaluationRows, rest - validationUncapped);
        if (trainSize == 0 || validationSize == 0 || testSize == 0)
        {
            throw new DataException(
                $"{data.Source}: {rows} rows are too few to split into train ({trainSize}), validation ({validationSize}) and test ({testSize})");
        }

        var byClass = new[] { new List<int>(), new List<int>() };
        for (var r = 0; r < rows; r++)
        {
            byClass[data.Labels[r] > 0.5f ? 1 : 0].Add(r);
        }

        var random = new SplitMix64(seed);
        var shuffled = byClass.Select(list => list.ToArray()).ToArray();
        foreach (var indices in shuffled)
        {
            random.Shuffle(indices);
        }

        var counts = shuffled.Select(c => c.Length).ToArray();
        var trainPerClass = Allocate(trainSize, counts);
        var restPerClass = counts.Zip(trainPerClass, (c, t) => c - t).ToArray();
        var validationPerClass = Allocate(validationSize, restPerClass);
        var testPerClass = Allocate(testSize, restPerClass.Zip(validationPerClass, (r, v) => r - v).ToArray());

        RefuseOneClassSplit(data, "train", trainPerClass);
        RefuseOneClassSplit(data, "validation", validationPerClass);
        RefuseOneClassSplit(data, "test", testPerClass);

        var train = new List<int>(trainSize);
        var validation = new List<int>(validationSize);
        var test = new List<int>(testSize);
        for (var c = 0; c < shuffled.Length; c++)
        {
            var indices = shuffled[c];
            train.AddRange(indices.AsSpan(0, trainPerClass[c]));
            validation.AddRange(indices.AsSpan(trainPerClass[c], validationPerClass[c]));
            test.AddRange(indices.AsSpan(trainPerClass[c] + validationPerClass[c], testPerClass[c]));
        }

        // Mix the classes within each split so that row order carries no label information.
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(train));
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(validation));
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(test));

        var rawTrain = data.SelectRows(train);
        var scaling = FeatureStandardizer.Fit(rawTrain);
        return new DataSplits(
            FeatureStandardizer.Apply(rawTrain, scaling),
            FeatureStandardizer.Apply(data.SelectRows(validation), scaling),
            FeatureStandardizer.Apply(data.SelectRows(test), scaling),
            scaling);
    }

    /// <summary>
    /// A split with one class cannot be evaluated (its ROC AUC is undefined, its accuracy says nothing), so the data
    /// are refused before any training, naming the split, the file and the class that ran out.
    /// </summary>
    private static void RefuseOneClassSplit(TabularData data, string split, int[] perClass)
    {
        var missing = Array.IndexOf(perClass, 0);
        if (missing < 0)
        {
            return;
        }

        var label = missing == 1 ? data.Mapping.Positive : data.Mapping.Negative;
        var inAll = data.Labels.Count(l => (l > 0.5f ? 1 : 0) == missing);
        throw new DataException(
            $"{data.Source}: the {split} split would hold one class only: none of its {perClass.Sum()} rows has target {DataFile.Quote(label)}, " +
            $"which {inAll} of the {data.Rows} rows have; every split needs both classes (add rows of the rarer class)");
    }

    // The epsilon keeps 0.3 x 50,000 at 15,000 even if the product lands a hair below the integer.
    private static int FloorFraction(double fraction, int count) => (int)Math.Floor((fraction * count) + 1e-9);

    /// <summary>Shares <paramref name="total"/> among classes in proportion to their sizes (largest remainder, ties to the lower class).</summary>
    private static int[] Allocate(int total, int[] available)
    {
        var sum = available.Sum();
        var quotas = available.Select(a => sum == 0 ? 0.0 : (double)total * a / sum).ToArray();
        var shares = quotas.Select(q => (int)Math.Floor(q)).ToArray();
        var left = total - shares.Sum();
        foreach (var c in Enumerable.Range(0, available.Length).OrderByDescending(c => quotas[c] - shares[c]).ThenBy(c => c))
        {
            if (left == 0)
            {
                break;
            }

            if (shares[c] < available[c])
            {
                shares[c]++;
                left--;
            }
        }

        return shares;
    }
}
