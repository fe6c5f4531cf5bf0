namespace LearnedActivation.Model.Plots;

/// <summary>
/// One configuration's validation accuracy over its seeds: per epoch, the mean and the range (lowest to highest)
/// of the seeds that trained that epoch. Runs stop early at different epochs, so later epochs may hold fewer seeds;
/// <see cref="SeedsAt"/> says how many.
/// </summary>
/// <param name="Name">The legend's label.</param>
/// <param name="Mean">Mean per epoch (index 0 is epoch 1).</param>
/// <param name="Low">Lowest seed's value per epoch.</param>
/// <param name="High">Highest seed's value per epoch.</param>
/// <param name="SeedsAt">Seeds that trained each epoch.</param>
public sealed record SeedBand(string Name, double[] Mean, double[] Low, double[] High, int[] SeedsAt)
{
    /// <summary>The band of <paramref name="seeds"/> (one curve per seed, of any lengths).</summary>
    public static SeedBand Of(string name, IReadOnlyList<double[]> seeds)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        var length = seeds.Select(s => s.Length).DefaultIfEmpty(0).Max();
        var mean = new double[length];
        var low = new double[length];
        var high = new double[length];
        var count = new int[length];
        for (var epoch = 0; epoch < length; epoch++)
        {
            var values = seeds.Where(s => s.Length > epoch).Select(s => s[epoch]).ToList();
            mean[epoch] = values.Average();
            low[epoch] = values.Min();
            high[epoch] = values.Max();
            count[epoch] = values.Count;
        }

        return new SeedBand(name, mean, low, high, count);
    }

    /// <summary>Whether any epoch has more than one seed: only then is there a band to draw.</summary>
    public bool HasSpread => SeedsAt.Any(n => n > 1);
}
