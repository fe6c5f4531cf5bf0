using LearnedActivation.Model.Training;

namespace LearnedActivation.Model.Tests.Training;

public sealed class EpochOrderTests
{
    [Fact]
    public void IsAPermutationOfAllRows()
    {
        var order = EpochOrder.Permutation(1000, seed: 5, epoch: 3);

        Assert.Equal(Enumerable.Range(0, 1000), order.Order());
        Assert.NotEqual(Enumerable.Range(0, 1000), order);
    }

    [Fact]
    public void DependsOnSeedAndEpochOnly()
    {
        Assert.Equal(EpochOrder.Permutation(500, 1, 2), EpochOrder.Permutation(500, 1, 2));
        Assert.NotEqual(EpochOrder.Permutation(500, 1, 2), EpochOrder.Permutation(500, 1, 3));
        Assert.NotEqual(EpochOrder.Permutation(500, 1, 2), EpochOrder.Permutation(500, 2, 2));
    }

    [Fact]
    public void IsPinned()
    {
        // Results and checkpoints depend on this exact order: if this changes, bump CheckpointEnvelope.FormatVersion.
        Assert.Equal([8, 7, 6, 5, 3, 9, 2, 4, 1, 0], EpochOrder.Permutation(10, 0, 1));
        Assert.Equal([5, 9, 4, 2, 3, 8, 6, 1, 0, 7], EpochOrder.Permutation(10, 123, 7));
    }
}
