using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Data;
using LearnedActivation.Model.Training;

namespace LearnedActivation.Model.Tests.Support;

/// <summary>
/// A run trained for some epochs in one session, checkpointed there, and restored into a fresh one: what an
/// interrupted run resumes from. Tests compare what it goes on to do with an uninterrupted run.
/// </summary>
public static class ResumedRun
{
    /// <param name="beforeSaving">Sees the first session after its <paramref name="epochs"/> epochs, before the checkpoint.</param>
    public static TrainingSession After(RunSpec spec, DataSplits data, int epochs, Action<TrainingSession>? beforeSaving = null)
    {
        using var checkpoint = new MemoryStream();
        using (var first = TrainingSession.Create(spec, data))
        {
            for (var epoch = 0; epoch < epochs; epoch++)
            {
                first.RunEpoch();
            }

            beforeSaving?.Invoke(first);
            first.SaveCheckpoint(checkpoint);
        }

        checkpoint.Position = 0;
        return TrainingSession.Restore(spec, data, checkpoint);
    }
}
