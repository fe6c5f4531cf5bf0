using LearnedActivation.Model.Configuration;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Tests.Evaluation;

/// <summary>Every combination of activation-network size and registered base, and training-like inputs for them.</summary>
public static class EvaluatorCases
{
    /// <summary>Every base the code knows (a new base is tested without editing the tests that use this).</summary>
    public static TheoryData<BaseActivation> Bases() => [.. Enum.GetValues<BaseActivation>()];

    public static TheoryData<SizePreset, BaseActivation> All()
    {
        var data = new TheoryData<SizePreset, BaseActivation>();
        foreach (var size in Enum.GetValues<SizePreset>())
        {
            foreach (var baseActivation in Enum.GetValues<BaseActivation>())
            {
                data.Add(size, baseActivation);
            }
        }

        return data;
    }

    /// <summary>
    /// Pre-activations shaped like the first hidden layer of the large outer network on a batch of 512,
    /// ~N(0, 2), and an upstream gradient of the same shape.
    /// </summary>
    public static (Tensor Input, Tensor Upstream) TrainingLikeBatch(int seed, long rows = 512, long width = 96)
    {
        var generator = new Generator((ulong)seed, CPU);
        return (randn([rows, width], generator: generator) * 2, randn([rows, width], generator: generator));
    }
}
