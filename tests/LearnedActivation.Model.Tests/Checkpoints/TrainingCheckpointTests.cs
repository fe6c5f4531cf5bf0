using LearnedActivation.Model.Checkpoints;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Tests.Support;
using LearnedActivation.Model.Training;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Tests.Checkpoints;

/// <summary>
/// <see cref="TrainingCheckpoint"/> on its own, with a plain linear layer instead of a session: what it writes
/// it reads back into other objects exactly (state, weights, Adam's moments, generator), and what is not this
/// run's it refuses before touching them.
/// </summary>
public sealed class TrainingCheckpointTests
{
    private const int TrainRows = 1000;
    private const string Fingerprint = "data-a";

    private static readonly RunSpec Spec = SyntheticTables.Spec(epochs: 4, batchSize: 100);

    [Fact]
    public void WhatIsWrittenIsReadBackIntoFreshObjectsBitForBit()
    {
        using var original = new Parts(seed: 1);
        original.Train(steps: 3);
        var state = MidEpochState();
        var bytes = Write(original, state);

        using var restored = new Parts(seed: 2);
        Assert.NotEqual(SyntheticTables.ParameterBytes(original.Model), SyntheticTables.ParameterBytes(restored.Model));
        var read = restored.Checkpoint(Fingerprint).Read(new MemoryStream(bytes));

        Assert.Equal(state.CompletedEpochs, read.CompletedEpochs);
        Assert.Equal(state.StepInEpoch, read.StepInEpoch);
        Assert.Equal(state.EpochLossSum, read.EpochLossSum);
        Assert.Equal(state.EpochElapsed, read.EpochElapsed);
        Assert.Equal(state.BestEpoch, read.BestEpoch);
        Assert.Equal(state.BestValLoss, read.BestValLoss);
        Assert.Equal(state.BestValAccuracy, read.BestValAccuracy);
        Assert.Equal(state.BestModelState, read.BestModelState);
        Assert.Equal(state.History, read.History);
        Assert.Equal(SyntheticTables.ParameterBytes(original.Model), SyntheticTables.ParameterBytes(restored.Model));
        Assert.Equal(original.GeneratorBytes(), restored.GeneratorBytes());

        // Adam's step count and moments came along: the next step moves both copies identically.
        original.Train(steps: 1);
        restored.Train(steps: 1);
        Assert.Equal(SyntheticTables.ParameterBytes(original.Model), SyntheticTables.ParameterBytes(restored.Model));
    }

    [Fact]
    public void ACheckpointOfOtherDataIsRefusedWithoutTouchingTheWeights()
    {
        using var original = new Parts(seed: 1);
        var bytes = Write(original, MidEpochState());
        using var other = new Parts(seed: 2);
        var before = SyntheticTables.ParameterBytes(other.Model);

        var error = Assert.Throws<CheckpointException>(() => other.Checkpoint("data-b").Read(new MemoryStream(bytes)));

        Assert.Equal(CheckpointFailure.WrongRun, error.Failure);
        Assert.Contains("other data", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, SyntheticTables.ParameterBytes(other.Model));
    }

    [Theory]
    [InlineData(2, 0, 1)]   // history shorter than the epochs it claims
    [InlineData(5, 0, 5)]   // more epochs than the spec trains
    [InlineData(1, 10, 1)]  // a step past the epoch's last batch (1000 rows / 100)
    public void AnImpossiblePositionIsRefusedAsCorrupted(int completedEpochs, int stepInEpoch, int historyLength)
    {
        using var parts = new Parts(seed: 1);
        var state = new TrainingState { CompletedEpochs = completedEpochs, StepInEpoch = stepInEpoch, BestEpoch = 1, BestValAccuracy = 0.5 };
        state.History.AddRange(Enumerable.Range(1, historyLength).Select(Epoch));
        var bytes = Write(parts, state);

        var error = Assert.Throws<CheckpointException>(() => parts.Checkpoint(Fingerprint).Read(new MemoryStream(bytes)));

        Assert.Equal(CheckpointFailure.Corrupted, error.Failure);
        Assert.Contains("impossible position", error.Message, StringComparison.Ordinal);
    }

    private static byte[] Write(Parts parts, TrainingState state)
    {
        using var buffer = new MemoryStream();
        parts.Checkpoint(Fingerprint).Write(buffer, state);
        return buffer.ToArray();
    }

    private static TrainingState MidEpochState()
    {
        var state = new TrainingState
        {
            CompletedEpochs = 2,
            StepInEpoch = 3,
            EpochLossSum = 12.5,
            EpochElapsed = TimeSpan.FromMilliseconds(1234),
            BestEpoch = 2,
            BestValLoss = 0.9 / 2, // the validation loss of Epoch(2): the best epoch's loss is checked against its history
            BestValAccuracy = 0.75,
            BestModelState = [1, 2, 3],
        };
        state.History.AddRange([Epoch(1), Epoch(2)]);
        return state;
    }

    private static EpochMetrics Epoch(int epoch) => new(epoch, 1.0 / epoch, 0.9 / epoch, 0.5 + (0.1 * epoch), 0.6, TimeSpan.FromSeconds(epoch));

    /// <summary>The objects a session checkpoints, small: a linear layer, its optimizer and a generator.</summary>
    private sealed class Parts : IDisposable
    {
        private readonly AdamOptimizer _optimizer;
        private readonly Generator _generator;

        public Parts(int seed)
        {
            _generator = new Generator((ulong)seed, CPU);
            Model = nn.Linear(3, 2);
            using (no_grad())
            {
                foreach (var parameter in Model.parameters())
                {
                    parameter.uniform_(-1, 1, _generator);
                }
            }

            _optimizer = new AdamOptimizer(Model.parameters(), 0.01);
        }

        public nn.Module<Tensor, Tensor> Model { get; }

        public TrainingCheckpoint Checkpoint(string fingerprint) => new(Spec, fingerprint, TrainRows, _generator, Model, _optimizer);

        public byte[] GeneratorBytes()
        {
            using var state = _generator.get_state();
            return state.data<byte>().ToArray();
        }

        public void Train(int steps)
        {
            for (var i = 0; i < steps; i++)
            {
                using var scope = NewDisposeScope();
                var x = tensor(new float[] { 1, -2, 0.5f, 0.3f, 0.1f, -1 }, [2, 3]);
                _optimizer.ZeroGrad();
                Model.forward(x).pow(2).sum().backward();
                _optimizer.Step();
            }
        }

        public void Dispose()
        {
            _optimizer.Dispose();
            Model.Dispose();
            _generator.Dispose();
        }
    }
}
