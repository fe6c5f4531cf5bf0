using LearnedActivation.Model.Evaluation.Fused;
using LearnedActivation.Model.Networks;

namespace LearnedActivation.Model.Tests.Evaluation.Fused;

/// <summary>Random networks and inputs for the fused kernel's tests, and one forward + backward through a kernel.</summary>
internal static class KernelRuns
{
    public static (float[][] Weights, float[][] Biases) Parameters(IReadOnlyList<int> hidden, int seed)
    {
        var random = new Random(seed);
        int[] widths = [1, .. hidden, 1];
        var weights = new float[widths.Length - 1][];
        var biases = new float[widths.Length - 1][];
        for (var l = 0; l + 1 < widths.Length; l++)
        {
            var bound = 1 / Math.Sqrt(widths[l]);
            weights[l] = [.. Enumerable.Range(0, widths[l] * widths[l + 1]).Select(_ => (float)(((random.NextDouble() * 2) - 1) * bound))];
            biases[l] = [.. Enumerable.Range(0, widths[l + 1]).Select(_ => (float)(((random.NextDouble() * 2) - 1) * bound))];
        }

        return (weights, biases);
    }

    public static (float[] X, float[] Upstream) Inputs(int count, int seed)
    {
        var random = new Random(seed);
        return ([.. Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 8) - 4))], [.. Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() - 0.5))]);
    }

    public static (float[] Y, float[] GradX, float[][] WeightGrads, float[][] BiasGrads) Run(FusedActivationKernel kernel, float[] x, float[] upstream, int threads, bool save)
    {
        var y = new float[x.Length];
        var dx = new float[x.Length];
        var saved = new float[save ? kernel.SavedFloats(x.Length) : 0];
        kernel.Forward(x, y, threads, saved);
        var (w, b) = kernel.Backward(x, upstream, dx, threads, saved);
        return (y, dx, w, b);
    }

    public static double MaxAbs(float[] a, float[] b) => a.Zip(b, (p, q) => Math.Abs((double)p - q)).Max();

    public static double RelativeError(float[] candidate, float[] reference) =>
        Math.Sqrt(candidate.Zip(reference, (c, r) => (double)(c - r) * (c - r)).Sum() / reference.Sum(r => (double)r * r));
}
