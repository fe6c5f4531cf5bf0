using System.Security.Cryptography;
using LearnedActivation.Model.Checkpoints;
using LearnedActivation.Model.Training;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Multitask;

/// <summary>
/// Checkpoints of a multitask run, in the single-task format: a <see cref="TrainingSnapshot"/> (state, weights of the
/// whole <see cref="MultitaskNetwork"/>, Adam's moments, the generator) inside a <see cref="CheckpointEnvelope"/> bound
/// to the <see cref="MultitaskRunSpec"/>'s hash. <c>TrainRows</c> holds the total training rows of all tasks and
/// <c>OrderHash</c> the hash of the unfinished epoch's whole schedule (every task's batches), so a build that
/// schedules batches differently refuses to resume rather than resume inexactly.
/// </summary>
internal sealed class MultitaskCheckpoint(MultitaskRunSpec spec, string dataFingerprint, int totalTrainRows, MultitaskSchedule schedule, Generator generator, nn.Module model, AdamOptimizer optimizer)
{
    public void Write(Stream destination, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(state);
        using var generatorState = generator.get_state();
        var snapshot = new TrainingSnapshot
        {
            DataFingerprint = dataFingerprint,
            TrainRows = totalTrainRows,
            CompletedEpochs = state.CompletedEpochs,
            StepInEpoch = state.StepInEpoch,
            EpochLossSum = state.EpochLossSum,
            EpochElapsed = state.EpochElapsed,
            OrderHash = state.IsComplete(spec.Train) ? string.Empty : ScheduleHash(state.CompletedEpochs + 1),
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
        CheckpointEnvelope.Write(destination, spec.Hash(), spec.Name, snapshot.ToBytes());
    }

    /// <exception cref="CheckpointException">Truncated, corrupted, of another format, run, data or schedule.</exception>
    public TrainingState Read(Stream source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var snapshot = TrainingSnapshot.FromBytes(CheckpointEnvelope.Read(source, spec.Hash(), spec.Name));
        if (snapshot.DataFingerprint != dataFingerprint)
        {
            throw new CheckpointException(CheckpointFailure.WrongRun, $"checkpoint of {spec.Name} was made on other data (fingerprint {snapshot.DataFingerprint}, these tasks {dataFingerprint})");
        }

        if (snapshot.TrainRows != totalTrainRows
            || snapshot.CompletedEpochs < 0 || snapshot.CompletedEpochs > spec.Train.Epochs
            || snapshot.StepInEpoch < 0 || snapshot.StepInEpoch >= schedule.StepsPerEpoch
            || snapshot.History.Count != snapshot.CompletedEpochs
            || (snapshot.CompletedEpochs > 0) != (snapshot.BestEpoch > 0)
            || snapshot.BestEpoch > snapshot.CompletedEpochs
            || snapshot.Rollbacks.Any(e => e < 1 || e > snapshot.CompletedEpochs)
            || (snapshot.Rollbacks.Count > 0 && spec.Train.RollbackAbove == 0))
        {
            throw new CheckpointException(CheckpointFailure.Corrupted, $"checkpoint of {spec.Name} holds an impossible position (epoch {snapshot.CompletedEpochs}, step {snapshot.StepInEpoch})");
        }

        if (snapshot.OrderHash.Length > 0 && snapshot.OrderHash != ScheduleHash(snapshot.CompletedEpochs + 1))
        {
            throw new CheckpointException(CheckpointFailure.UnknownFormat, $"checkpoint of {spec.Name} was made by a build that schedules batches differently; it cannot be resumed exactly");
        }

        var restored = snapshot.RestoreInto(generator, model, optimizer, spec.Name);
        return restored;
    }

    /// <summary>Hash of every batch of every task in the epoch: the schedule a resumed epoch must continue.</summary>
    private string ScheduleHash(int epoch)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (var step = 0; step < schedule.StepsPerEpoch; step++)
        {
            for (var t = 0; t < schedule.TaskCount; t++)
            {
                foreach (var row in schedule.Batch(t, epoch, step))
                {
                    hash.AppendData(BitConverter.GetBytes(row));
                }
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

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
