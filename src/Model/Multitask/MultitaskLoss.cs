using static TorchSharp.torch;

namespace LearnedActivation.Model.Multitask;

/// <summary>How a multitask step weighs its tasks: equally. Each task's loss is its batch's mean BCE-with-logits.</summary>
public static class MultitaskLoss
{
    /// <summary>The step's loss: the plain mean of the task losses (each task's gradient is scaled by 1 / tasks).</summary>
    public static Tensor Combine(IReadOnlyList<Tensor> taskLosses)
    {
        ArgumentNullException.ThrowIfNull(taskLosses);
        if (taskLosses.Count == 0)
        {
            throw new ArgumentException("a multitask step needs at least one task's loss", nameof(taskLosses));
        }

        return stack(taskLosses).mean();
    }
}
