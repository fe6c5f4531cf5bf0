namespace LearnedActivation.Model.Plots;

/// <summary>
/// One run's per-epoch metrics; element i belongs to epoch i + 1. Series may be shorter than one another
/// (a run that stopped early, or a metric not recorded) and may be empty.
/// </summary>
/// <param name="Name">Run name used as legend text ("tanh_small_medium").</param>
/// <param name="TrainLoss">Mean training loss per epoch.</param>
/// <param name="ValidationLoss">Validation loss per epoch.</param>
/// <param name="ValidationAccuracy">Validation accuracy per epoch, as a fraction in [0, 1].</param>
/// <param name="ValidationAuc">Validation ROC AUC per epoch; null in summaries written before it was kept.</param>
public sealed record EpochSeries(string Name, double[] TrainLoss, double[] ValidationLoss, double[] ValidationAccuracy, double[]? ValidationAuc = null)
{
    public string Name { get; init; } = Name ?? throw new ArgumentNullException(nameof(Name));

    public double[] TrainLoss { get; init; } = TrainLoss ?? throw new ArgumentNullException(nameof(TrainLoss));

    public double[] ValidationLoss { get; init; } = ValidationLoss ?? throw new ArgumentNullException(nameof(ValidationLoss));

    public double[] ValidationAccuracy { get; init; } = ValidationAccuracy ?? throw new ArgumentNullException(nameof(ValidationAccuracy));

    /// <summary>1, 2, ..., count: the x values of a series of that length.</summary>
    internal static double[] Epochs(int count) => Enumerable.Range(1, count).Select(e => (double)e).ToArray();
}
