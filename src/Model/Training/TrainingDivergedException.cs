namespace LearnedActivation.Model.Training;

/// <summary>
/// The loss stopped being a finite number: the weights have blown up (usually a learning rate too large for
/// the network) and no later epoch can bring them back, so the run stops at once instead of training on NaNs.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <param name="epoch">1-based epoch in which the loss became non-finite.</param>
    /// <param name="split">Whose loss: "train" or "validation".</param>
    /// <param name="loss">The non-finite loss.</param>
    public TrainingDivergedException(int epoch, string split, double loss)
        : base($"training diverged: the {split} loss became {Describe(loss)} in epoch {epoch} (try a lower learning rate)")
    {
        Epoch = epoch;
    }

    public TrainingDivergedException()
    {
    }

    public TrainingDivergedException(string message)
        : base(message)
    {
    }

    public TrainingDivergedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>1-based epoch in which the loss became non-finite (0 when not known).</summary>
    public int Epoch { get; }

    private static string Describe(double loss) => double.IsNaN(loss) ? "NaN" : "infinite";
}
