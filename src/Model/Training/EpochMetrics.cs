namespace LearnedActivation.Model.Training;

/// <summary>What one epoch produced. <paramref name="Epoch"/> counts from 1.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainLoss">Mean BCE-with-logits over the epoch's training rows (as the weights moved).</param>
/// <param name="ValLoss">Mean BCE-with-logits on the validation split after the epoch.</param>
/// <param name="ValAccuracy">Validation accuracy after the epoch (logit &gt; 0 predicts 1).</param>
/// <param name="ValAuc">Validation ROC AUC after the epoch.</param>
/// <param name="Elapsed">Wall time of the epoch, training and validation (not reproducible, unlike the rest).</param>
public sealed record EpochMetrics(int Epoch, double TrainLoss, double ValLoss, double ValAccuracy, double ValAuc, TimeSpan Elapsed);

/// <summary>Progress inside an epoch: <paramref name="Step"/> of <paramref name="Steps"/> batches are done.</summary>
public readonly record struct BatchProgress(int Epoch, int Step, int Steps);

/// <summary>Loss, accuracy and ROC AUC of the network on one split.</summary>
public readonly record struct EvaluationResult(double Loss, double Accuracy, double Auc);
