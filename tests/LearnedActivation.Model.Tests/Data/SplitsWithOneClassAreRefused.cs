using LearnedActivation.Model.Data;

namespace LearnedActivation.Model.Tests.Data;

/// <summary>
/// A split that would hold one class only cannot be evaluated (its AUC is undefined), so the data are refused before
/// any training, naming the split and the file.
/// </summary>
public sealed class SplitsWithOneClassAreRefused
{
    [Fact]
    public void OnePositiveInAThousandRowsLeavesValidationWithoutPositives()
    {
        // Stratified allocation gives the one positive row to train; validation and test have none.
        var data = Tables.Indexed(1_000, positiveEvery: 1_000);

        var error = Assert.Throws<DataException>(() => BenchmarkSplit.Split(data, seed: 0)).Message;

        Assert.Equal(
            "synthetic: the validation split would hold one class only: none of its 90 rows has target '1', which 1 of the 1000 rows have; every split needs both classes (add rows of the rarer class)",
            error);
    }

    [Fact]
    public void TenPositivesReachEverySplit()
    {
        var data = Tables.Indexed(1_000, positiveEvery: 100);

        var splits = BenchmarkSplit.Split(data, seed: 0);

        Assert.All(new[] { splits.Train, splits.Validation, splits.Test }, split => Assert.Contains(1f, split.Labels));
    }
}
