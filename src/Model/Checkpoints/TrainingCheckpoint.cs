using System.Runtime.InteropServices;
using System.Security.Cryptography;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Training;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Checkpoints;

/// <summary>
/// Checkpoints of one training run: captures everything that decides the rest of the run (the
/// <see cref="TrainingState"/>, the weights, Adam's moments, the generator) into a <see cref="TrainingSnapshot"/>
/// inside a <see cref="CheckpointEnvelope"/>, and restores it into the same objects after checking that it
/// belongs to this spec, this data and this build's row order. Restoring what <see cref="Write"/> wrote
/// continues the run bit for bit.
/// </summary>
/// <param name="spec">The run; the envelope is bound to its hash.</param>
/// <param name="dataFingerprint">Hash of the three splits (<see cref="SplitTensors.Fingerprint"/>).</param>
/// <param name="trainRows">Rows of the train split, which fix the epoch's row order and its batches.</param>
/// <param name="generator">The run's own generator: its state is part of what decides the rest of the run.</param>
/// <param name="model">The network being trained.</param>
/// <param name="optimizer">The network's optimizer.</param>
internal sealed class TrainingCheckpoint(RunSpec spec, string dataFingerprint, int trainRows, Generator generator, nn.Module model, AdamOptimizer optimizer)
{
    private string RunName => spec.Model.Name;

    /// <summary>Writes <paramref name="state"/> and the tensors as they are now.</summary>
    public void Write(Stream destination, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(state);
        using var generatorState = generator.get_state();
        var snapshot = new TrainingSnapshot
        {
            DataFingerprint = dataFingerprint,
            TrainRows = trainRows,
            CompletedEpochs = state.CompletedEpochs,
            StepInEpoch = state.StepInEpoch,
            EpochLossSum = state.EpochLossSum,
            EpochElapsed = state.EpochElapsed,
            OrderHash = state.IsComplete(spec.Train) ? string.Empty : OrderHash(state.CompletedEpochs + 1),
            GeneratorState = generatorState.data<byte>().ToArray(),
            ModelState = ModuleState.Save(model),
            OptimizerState = SaveOptimizer(),
            BestEpoch = state.BestEpoch,
            BestValLoss = state.BestValLoss,
            BestValAccuracy = state.BestValAccuracy,
            BestModelState = state.BestModelState,
            History = state.History,
            Rollbacks = state.Rollbacks,
        };
        CheckpointEnvelope.Write(destination, spec.Hash(), RunName, snapshot.ToBytes());
    }

    /// <summary>Loads a checkpoint into the generator, model and optimizer and returns the state it was taken in.</summary>
    /// <exception cref="CheckpointException">The checkpoint is truncated, corrupted, of another format, or of another run or data.</exception>
    public TrainingState Read(Stream source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var snapshot = TrainingSnapshot.FromBytes(CheckpointEnvelope.Read(source, spec.Hash(), RunName));
        Check(snapshot);
        var restored = snapshot.RestoreInto(generator, model, optimizer, RunName);
        if (restored.EpochsSinceBest > spec.Train.Patience)
        {
            // A run stops the epoch its patience runs out; a checkpoint further on was not written by this spec.
            throw new CheckpointException(CheckpointFailure.Corrupted, $"checkpoint of {RunName} is {restored.EpochsSinceBest} epochs past its best, beyond the patience of {spec.Train.Patience}");
        }

        return restored;
    }

    /// <summary>Refuses a checkpoint of other data, an impossible position, or a row order this build would not reproduce.</summary>
    private void Check(TrainingSnapshot snapshot)
    {
        if (snapshot.DataFingerprint != dataFingerprint)
        {
            throw new CheckpointException(CheckpointFailure.WrongRun, $"checkpoint of {RunName} was made on other data (fingerprint {snapshot.DataFingerprint}, these splits {dataFingerprint})");
        }

        var epochs = spec.Train.Epochs;
        var stepsPerEpoch = (trainRows + spec.Train.BatchSize - 1) / spec.Train.BatchSize;
        if (snapshot.TrainRows != trainRows
            || snapshot.CompletedEpochs < 0 || snapshot.CompletedEpochs > epochs
            || snapshot.StepInEpoch < 0 || snapshot.StepInEpoch >= Math.Max(1, stepsPerEpoch)
            || snapshot.History.Count != snapshot.CompletedEpochs
            || (snapshot.CompletedEpochs > 0) != (snapshot.BestEpoch > 0)
            || snapshot.BestEpoch > snapshot.CompletedEpochs
            || (snapshot.BestEpoch > 0 && snapshot.History[snapshot.BestEpoch - 1].ValLoss != snapshot.BestValLoss)
            || snapshot.Rollbacks.Any(e => e < 1 || e > snapshot.CompletedEpochs)
            || (snapshot.Rollbacks.Count > 0 && spec.Train.RollbackAbove == 0))
        {
            throw new CheckpointException(CheckpointFailure.Corrupted, $"checkpoint of {RunName} holds an impossible position (epoch {snapshot.CompletedEpochs}, step {snapshot.StepInEpoch}, {snapshot.History.Count} epochs of history)");
        }

        if (snapshot.OrderHash.Length > 0 && snapshot.OrderHash != OrderHash(snapshot.CompletedEpochs + 1))
        {
            throw new CheckpointException(CheckpointFailure.UnknownFormat, $"checkpoint of {RunName} was made by a build that orders training rows differently; it cannot be resumed exactly");
        }
    }

    /// <summary>Hash of the epoch's row order: a resumed epoch must visit the rows in the order it started with.</summary>
    private string OrderHash(int epoch) =>
        Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(EpochOrder.Permutation(trainRows, spec.Train.Seed, epoch).AsSpan())));

    private byte[] SaveOptimizer()
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            optimizer.Save(writer);
        }

        return buffer.ToArray();
    }
}
