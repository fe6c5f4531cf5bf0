using LearnedActivation.Grains.Contracts;
using LearnedActivation.Model.Configuration;

namespace LearnedActivation.Grains.Execution;

/// <summary>
/// Trains one run. Called on a dedicated thread that belongs to this run alone (not the grain scheduler,
/// not a thread-pool thread), so the implementation may block, keep thread-local state (TorchSharp
/// dispose scopes, grad mode) and must not await inside its loop.
/// <para>Contract:</para>
/// <list type="bullet">
/// <item>Start at <see cref="TrainingRequest.StartEpoch"/>: 0 for a fresh run, else restore everything
/// (weights, optimizer, RNG, data order) from <see cref="TrainingRequest.Checkpoint"/> so that the resumed
/// run ends exactly where an uninterrupted one would. When StartEpoch equals the epoch budget, train
/// nothing: evaluate and produce the artifacts.</item>
/// <item>After each epoch call <see cref="ITrainingObserver.EpochCompleted"/> with that epoch's metrics
/// and a checkpoint of the state at the end of it (the caller decides which checkpoints to store).</item>
/// <item>Check the token between batches; when it fires, throw <see cref="OperationCanceledException"/>
/// (progress since the last reported epoch is discarded; that epoch's checkpoint is kept).</item>
/// <item>Return the test metrics and the run's artifacts (file name -> bytes; names may contain '/').</item>
/// <item>Any other exception fails the run with the exception's message; make it one line that says what is wrong.</item>
/// </list>
/// </summary>
public interface ITrainingBackend
{
    TrainingResult Train(TrainingRequest request, ITrainingObserver observer, CancellationToken cancellationToken);
}

/// <summary>What to train and where to start.</summary>
/// <param name="Work">The run (configuration, budget, data) as the sweep defined it.</param>
/// <param name="StartEpoch">Epochs already done; 0 for a fresh run.</param>
/// <param name="Checkpoint">The bytes of the checkpoint at <paramref name="StartEpoch"/>, null for a fresh run.</param>
public sealed record TrainingRequest(RunWorkItem Work, int StartEpoch, byte[]? Checkpoint)
{
    public ModelConfig Model => Work.Model;

    public TrainConfig Train => Work.Train;

    public DataSpec Data => Work.Data;
}

/// <summary>Receives per-epoch progress on the training thread; returns quickly (it queues the report).</summary>
public interface ITrainingObserver
{
    /// <param name="metrics">The epoch's metrics; <see cref="EpochReport.Epoch"/> is 1-based and counts from the run's start.</param>
    /// <param name="checkpoint">Everything needed to resume after this epoch.</param>
    void EpochCompleted(EpochReport metrics, ReadOnlyMemory<byte> checkpoint);
}

/// <summary>A finished run: test metrics and artifacts (stored under the run's artifact prefix by name).</summary>
public sealed record TrainingResult(TestMetrics Test, IReadOnlyDictionary<string, byte[]> Artifacts);
