namespace LearnedActivation.Model.Data;

/// <summary>
/// How <see cref="BenchmarkSplit"/> sizes the splits. Defaults follow the tabular benchmark of
/// Grinsztajn et al. (2022): train = min(50,000, 70 % of the rows); of the rest, 30 % validation and
/// 70 % test, each capped at 50,000.
/// </summary>
public sealed record SplitLimits(
    int MaxTrainRows = 50_000,
    double TrainFraction = 0.7,
    double ValidationFraction = 0.3,
    int MaxEvaluationRows = 50_000)
{
    public static SplitLimits Default { get; } = new();

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxTrainRows, nameof(MaxTrainRows));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxEvaluationRows, nameof(MaxEvaluationRows));
        if (!(TrainFraction is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(TrainFraction), TrainFraction, "must lie strictly between 0 and 1");
        }

        if (!(ValidationFraction is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ValidationFraction), ValidationFraction, "must lie strictly between 0 and 1");
        }
    }
}
