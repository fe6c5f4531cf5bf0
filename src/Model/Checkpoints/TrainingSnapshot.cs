using LearnedActivation.Model.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Checkpoints;

/// <summary>
/// Everything a <see cref="TrainingSession"/> needs to continue exactly where it stopped: the payload of a
/// checkpoint. Tensors travel as TorchSharp's own serialisation (model: <c>Module.save</c>; optimizer:
/// <c>save_state_dict</c>, which holds Adam's step counts and both moments; generator: its state bytes).
/// </summary>
internal sealed class TrainingSnapshot
{
    /// <summary>Hash of the three splits the session was trained on.</summary>
    public required string DataFingerprint { get; init; }

    public required int TrainRows { get; init; }

    public required int CompletedEpochs { get; init; }

    /// <summary>Batches already done in the unfinished epoch (0 at an epoch boundary).</summary>
    public required int StepInEpoch { get; init; }

    /// <summary>Sum over the unfinished epoch's batches of batch-mean loss x batch rows.</summary>
    public required double EpochLossSum { get; init; }

    /// <summary>Wall time already spent in the unfinished epoch.</summary>
    public required TimeSpan EpochElapsed { get; init; }

    /// <summary>Hash of the unfinished epoch's row order, so a build that orders rows differently cannot resume it silently.</summary>
    public required string OrderHash { get; init; }

    public required byte[] GeneratorState { get; init; }

    public required byte[] ModelState { get; init; }

    public required byte[] OptimizerState { get; init; }

    /// <summary>1-based epoch of the lowest validation loss so far, 0 when no epoch has finished.</summary>
    public required int BestEpoch { get; init; }

    /// <summary>The loss to beat; with the patience and <see cref="CompletedEpochs"/> it decides when the run stops.</summary>
    public required double BestValLoss { get; init; }

    public required double BestValAccuracy { get; init; }

    public required byte[] BestModelState { get; init; }

    public required IReadOnlyList<EpochMetrics> History { get; init; }

    /// <summary>Epochs after which the run went back to its best weights; absent (none) in checkpoints of builds before the guard.</summary>
    public IReadOnlyList<int> Rollbacks { get; init; } = [];

    public byte[] ToBytes()
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(DataFingerprint);
            writer.Write(TrainRows);
            writer.Write(CompletedEpochs);
            writer.Write(StepInEpoch);
            writer.Write(EpochLossSum);
            writer.Write(EpochElapsed.Ticks);
            writer.Write(OrderHash);
            WriteBlob(writer, GeneratorState);
            WriteBlob(writer, ModelState);
            WriteBlob(writer, OptimizerState);
            writer.Write(BestEpoch);
            writer.Write(BestValLoss);
            writer.Write(BestValAccuracy);
            WriteBlob(writer, BestModelState);
            writer.Write(History.Count);
            foreach (var m in History)
            {
                writer.Write(m.Epoch);
                writer.Write(m.TrainLoss);
                writer.Write(m.ValLoss);
                writer.Write(m.ValAccuracy);
                writer.Write(m.ValAuc);
                writer.Write(m.Elapsed.Ticks);
            }

            writer.Write(Rollbacks.Count);
            foreach (var epoch in Rollbacks)
            {
                writer.Write(epoch);
            }
        }

        return buffer.ToArray();
    }

    /// <exception cref="CheckpointException">The payload does not parse (it passed the checksum, so the writer differed).</exception>
    public static TrainingSnapshot FromBytes(byte[] payload)
    {
        try
        {
            using var reader = new BinaryReader(new MemoryStream(payload, writable: false));
            var snapshot = new TrainingSnapshot
            {
                DataFingerprint = reader.ReadString(),
                TrainRows = reader.ReadInt32(),
                CompletedEpochs = reader.ReadInt32(),
                StepInEpoch = reader.ReadInt32(),
                EpochLossSum = reader.ReadDouble(),
                EpochElapsed = TimeSpan.FromTicks(reader.ReadInt64()),
                OrderHash = reader.ReadString(),
                GeneratorState = ReadBlob(reader),
                ModelState = ReadBlob(reader),
                OptimizerState = ReadBlob(reader),
                BestEpoch = reader.ReadInt32(),
                BestValLoss = reader.ReadDouble(),
                BestValAccuracy = reader.ReadDouble(),
                BestModelState = ReadBlob(reader),
                History = ReadHistory(reader),
                Rollbacks = reader.BaseStream.Position == reader.BaseStream.Length ? [] : ReadRollbacks(reader),
            };
            if (reader.BaseStream.Position != reader.BaseStream.Length)
            {
                throw new InvalidDataException($"{reader.BaseStream.Length - reader.BaseStream.Position} unexpected bytes after the payload");
            }

            return snapshot;
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or IOException or FormatException)
        {
            throw new CheckpointException(CheckpointFailure.Corrupted, $"checkpoint payload is unreadable: {e.Message}", e);
        }
    }

    private static List<EpochMetrics> ReadHistory(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        if (count < 0)
        {
            throw new InvalidDataException($"negative history length {count}");
        }

        var history = new List<EpochMetrics>(Math.Min(count, 1 << 16));
        for (var i = 0; i < count; i++)
        {
            history.Add(new EpochMetrics(
                reader.ReadInt32(),
                reader.ReadDouble(),
                reader.ReadDouble(),
                reader.ReadDouble(),
                reader.ReadDouble(),
                TimeSpan.FromTicks(reader.ReadInt64())));
        }

        return history;
    }

    private static List<int> ReadRollbacks(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        if (count is < 0 or > Configuration.TrainConfig.MaxRollbacks)
        {
            throw new InvalidDataException($"impossible rollback count {count}");
        }

        var epochs = new List<int>(count);
        for (var i = 0; i < count; i++)
        {
            epochs.Add(reader.ReadInt32());
        }

        return epochs;
    }

    private static void WriteBlob(BinaryWriter writer, byte[] blob)
    {
        writer.Write(blob.Length);
        writer.Write(blob);
    }

    private static byte[] ReadBlob(BinaryReader reader)
    {
        var length = reader.ReadInt32();
        if (length < 0 || length > reader.BaseStream.Length - reader.BaseStream.Position)
        {
            throw new InvalidDataException($"blob length {length} exceeds the payload");
        }

        return reader.ReadBytes(length);
    }

    /// <summary>
    /// Loads the snapshot's generator, weights and optimizer moments into the given objects and returns the training
    /// state it was taken in: the one restore every checkpoint format shares (single-task and multitask runs).
    /// </summary>
    /// <exception cref="CheckpointException">The tensors do not fit the network or optimizer.</exception>
    public TrainingState RestoreInto(Generator generator, nn.Module model, AdamOptimizer optimizer, string runName)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        try
        {
            using (var state = tensor(GeneratorState))
            {
                generator.set_state(state);
            }

            ModuleState.Load(model, ModelState);
            using var reader = new BinaryReader(new MemoryStream(OptimizerState, writable: false));
            optimizer.Load(reader);
        }
        catch (Exception e) when (e is not CheckpointException)
        {
            throw new CheckpointException(CheckpointFailure.Corrupted, $"checkpoint of {runName} holds tensors that do not fit the network: {e.Message}", e);
        }

        var restored = new TrainingState
        {
            CompletedEpochs = CompletedEpochs,
            StepInEpoch = StepInEpoch,
            EpochLossSum = EpochLossSum,
            EpochElapsed = EpochElapsed,
            BestEpoch = BestEpoch,
            BestValLoss = BestValLoss,
            BestValAccuracy = BestValAccuracy,
            BestModelState = BestModelState,
        };
        restored.History.AddRange(History);
        restored.Rollbacks.AddRange(Rollbacks);
        return restored;
    }
}
