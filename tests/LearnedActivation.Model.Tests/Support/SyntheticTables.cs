using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Tests.Support;

/// <summary>Small seeded tables and specs for model tests: fast, and hard enough to need a non-linearity.</summary>
public static class SyntheticTables
{
    /// <summary>
    /// Standard-normal features; label 1 where x0 * x1 + 0.3 * x2 &gt; 0, an XOR-like rule that no linear model
    /// fits. Features are already standardised, as the data loader would deliver them.
    /// </summary>
    public static TabularData Create(int rows, int width = 4, int seed = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 3);
        var random = new Random(seed);
        var features = new float[rows * width];
        var labels = new float[rows];
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < width; j++)
            {
                features[(i * width) + j] = (float)Gaussian(random);
            }

            var x = features.AsSpan(i * width, width);
            labels[i] = (x[0] * x[1]) + (0.3f * x[2]) > 0 ? 1f : 0f;
        }

        var names = Enumerable.Range(0, width).Select(j => $"x{j}").ToArray();
        return new TabularData($"synthetic:{seed}", names, "y", features, labels, new LabelMapping("0", "1"));
    }

    public static DataSplits Splits(int train = 2000, int validation = 500, int test = 500, int width = 4, int seed = 1)
    {
        var all = Create(train + validation + test, width, seed);
        var scaling = new FeatureScaling(new double[width], Enumerable.Repeat(1.0, width).ToArray());
        return new DataSplits(
            all.SelectRows(Enumerable.Range(0, train).ToArray()),
            all.SelectRows(Enumerable.Range(train, validation).ToArray()),
            all.SelectRows(Enumerable.Range(train + validation, test).ToArray()),
            scaling);
    }

    /// <summary>A spec sized for tests: small networks, small batches so that a few epochs do real work; no warm-up and no
    /// divergence guard (the tests of those turn them on), so that each test sees the training it is about.</summary>
    public static RunSpec Spec(
        int epochs = 3,
        long seed = 7,
        BaseActivation baseActivation = BaseActivation.Tanh,
        SizePreset outer = SizePreset.Small,
        SizePreset activation = SizePreset.Small,
        int batchSize = 128,
        double learningRate = 1e-2,
        StudyArm arm = StudyArms.Default,
        int patience = TrainConfig.DefaultPatience) =>
        new(new ModelConfig(baseActivation, outer, activation, arm), new TrainConfig(epochs, batchSize, learningRate, seed, TorchThreads: 1, Patience: patience, LearningRateWarmup: 0, RollbackAbove: 0), "synthetic");

    /// <summary>Every parameter's raw bytes, in registration order: equal arrays mean bit-identical weights.</summary>
    public static byte[] ParameterBytes(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        using var buffer = new MemoryStream();
        foreach (var (name, parameter) in module.named_parameters())
        {
            buffer.Write(System.Text.Encoding.UTF8.GetBytes(name));
            buffer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(parameter.data<float>().ToArray().AsSpan()));
        }

        return buffer.ToArray();
    }

    /// <summary>The reproducible part of a history (everything but wall time).</summary>
    public static IReadOnlyList<(int Epoch, double TrainLoss, double ValLoss, double ValAccuracy, double ValAuc)> Reproducible(
        IEnumerable<LearnedActivation.Model.Training.EpochMetrics> history) =>
        history.Select(m => (m.Epoch, m.TrainLoss, m.ValLoss, m.ValAccuracy, m.ValAuc)).ToArray();

    private static double Gaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
