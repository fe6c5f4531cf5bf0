namespace LearnedActivation.Model.Data;

/// <summary>Train / validation / test tables, standardised with statistics of the training split only.</summary>
public sealed record DataSplits(TabularData Train, TabularData Validation, TabularData Test, FeatureScaling Scaling);

/// <summary>Per-feature mean and standard deviation of the training split, applied to all three splits.</summary>
public sealed record FeatureScaling(IReadOnlyList<double> Mean, IReadOnlyList<double> StdDev);
