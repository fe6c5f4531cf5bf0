using LearnedActivation.Model.Checkpoints;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Data;
using LearnedActivation.Model.Multitask;
using LearnedActivation.Model.Networks;
using LearnedActivation.Model.Tests.Support;
using LearnedActivation.Model.Training;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Tests.Multitask;

/// <summary>The multitask loop: equal shares of batches, equal loss weights, one optimiser over everything, exact resume.</summary>
public sealed class MultitaskSessionTests
{
    private static readonly ModelConfig Config = new(BaseActivation.Tanh, SizePreset.Small, SizePreset.Small);
    private static readonly int[] TaskOrder = [0, 1, 2];

    /// <summary>Three tasks of different sizes and widths (300, 700, 1000 training rows; 3, 4, 5 features).</summary>
    private static IReadOnlyList<DataSplits> Tasks(params int[] trainRows) =>
        [.. trainRows.Select((rows, i) => SyntheticTables.Splits(train: rows, validation: 200, test: 200, width: 3 + i, seed: 11 + i))];

    private static MultitaskRunSpec Spec(IReadOnlyList<DataSplits> tasks, int epochs = 3, int batch = 128, int patience = 50) =>
        new(Config, new TrainConfig(epochs, batch, 1e-2, Seed: 5, TorchThreads: 1, Patience: patience), [.. tasks.Select((_, i) => $"task{i}")]);

    /// <summary>A run that overfits (lr 5e-2) under a guard that fires on any epoch worse than the best.</summary>
    private static MultitaskRunSpec Guarded(IReadOnlyList<DataSplits> tasks)
    {
        var spec = Spec(tasks, epochs: 40, patience: 2);
        return spec with { Train = spec.Train with { LearningRate = 5e-2, RollbackAbove = 1.0001 } };
    }

    private static double MeanValidationLoss(MultitaskSession session, IReadOnlyList<DataSplits> tasks) =>
        tasks.Select((t, i) =>
        {
            using var validation = new SplitTensors(t.Validation);
            return ModelEvaluation.Evaluate(session.Model.Task(i), validation).Loss;
        }).Average();

    [Fact]
    public void EveryTaskGetsTheSameNumberOfFullBatchesPerEpochAndVisitsAllItsRows()
    {
        var tasks = Tasks(300, 700, 1000);
        using var session = MultitaskSession.Create(Spec(tasks), tasks);
        var batches = new List<(int Task, long[] Rows)>();
        session.TaskBatchTrained = (t, rows) => batches.Add((t, rows));

        session.RunEpoch();

        // ceil(1000 / 128) = 8 steps, each with one batch of every task, interleaved task by task.
        Assert.Equal(8, session.Schedule.StepsPerEpoch);
        Assert.Equal(3 * 8, batches.Count);
        Assert.Equal(Enumerable.Range(0, 8).SelectMany(_ => TaskOrder), batches.Select(b => b.Task));
        for (var t = 0; t < 3; t++)
        {
            var mine = batches.Where(b => b.Task == t).ToList();
            Assert.Equal(8, mine.Count);
            Assert.All(mine, b => Assert.Equal(128, b.Rows.Length));

            // Every row at least once; no row more than once more often than another.
            var rows = tasks[t].Train.Rows;
            var visits = mine.SelectMany(b => b.Rows).GroupBy(r => r).ToDictionary(g => g.Key, g => g.Count());
            Assert.Equal(rows, visits.Count);
            Assert.All(visits.Keys, r => Assert.InRange(r, 0, rows - 1));
            Assert.True(visits.Values.Max() - visits.Values.Min() <= 1, $"task {t}: visits range {visits.Values.Min()}..{visits.Values.Max()}");
        }
    }

    [Fact]
    public void TheStepLossIsThePlainMeanOfTheTaskLosses()
    {
        // One step per epoch (every task fits in one batch): the epoch's train loss is that step's loss.
        var tasks = Tasks(60, 90, 120);
        var spec = Spec(tasks, batch: 128);
        using var session = MultitaskSession.Create(spec, tasks);
        Assert.Equal(1, session.Schedule.StepsPerEpoch);

        var expected = 0.0;
        using (no_grad())
        {
            for (var t = 0; t < tasks.Count; t++)
            {
                using var scope = NewDisposeScope();
                var index = tensor(session.Schedule.Batch(t, epoch: 1, step: 0));
                var features = tensor(tasks[t].Train.Features, [tasks[t].Train.Rows, tasks[t].Train.Width]).index_select(0, index);
                var labels = tensor(tasks[t].Train.Labels).index_select(0, index);
                expected += nn.functional.binary_cross_entropy_with_logits(session.Model.Task(t).forward(features), labels).item<float>() / tasks.Count;
            }
        }

        var metrics = session.RunEpoch();

        Assert.Equal(expected, metrics.TrainLoss, 5);
    }

    [Fact]
    public void TheCurvaturePenaltyShapesTheSharedActivation()
    {
        // A strong penalty against none, the same tasks, seed and schedule: the penalised run's shared function
        // ends with far less curvature, and its reported losses stay data losses (finite, near the other run's).
        var tasks = Tasks(300, 700, 1000);
        double CurvatureAfterTraining(double strength, out double trainLoss)
        {
            var spec = Spec(tasks, epochs: 3);
            spec = spec with { Train = spec.Train with { ActivationCurvature = strength } };
            using var session = MultitaskSession.Create(spec, tasks);
            trainLoss = Enumerable.Range(0, 3).Select(_ => session.RunEpoch().TrainLoss).Last();
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            return new ShapePenalty(session.Model.Activation, 1).Compute().item<float>();
        }

        var free = CurvatureAfterTraining(0, out var freeLoss);
        var penalised = CurvatureAfterTraining(10, out var penalisedLoss);

        Assert.True(penalised * 4 < free, $"curvature with the penalty {penalised:G3}, without {free:G3}");
        Assert.InRange(penalisedLoss, 0, freeLoss + 0.2);
    }

    [Fact]
    public void CombineGivesEveryTaskTheSameWeight()
    {
        using var scope = NewDisposeScope();
        var losses = new[] { tensor(0.3f, requires_grad: true), tensor(2.0f, requires_grad: true), tensor(0.7f, requires_grad: true), tensor(5.0f, requires_grad: true) };

        var combined = MultitaskLoss.Combine(losses);
        combined.backward();

        Assert.Equal((0.3 + 2.0 + 0.7 + 5.0) / 4, combined.item<float>(), 5);
        Assert.All(losses, l => Assert.Equal(0.25f, l.grad!.item<float>()));
    }

    [Fact]
    public void OneOptimiserCoversTheSharedActivationAndEveryOuterNetworkOnce()
    {
        var tasks = Tasks(300, 700, 1000);
        using var session = MultitaskSession.Create(Spec(tasks), tasks);
        var model = session.Model;

        var expected = model.Activation.parameters().Concat(Enumerable.Range(0, model.TaskCount).SelectMany(t => model.Task(t).parameters())).Select(p => p.Handle).ToHashSet();
        var covered = session.Optimizer.Parameters.Select(p => p.Handle).ToList();
        Assert.Equal(covered.Count, covered.Distinct().Count());
        Assert.Equal(expected, covered.ToHashSet());

        // An outer network applies the shared activation but does not own it.
        Assert.All(Enumerable.Range(0, model.TaskCount), t => Assert.False(model.Task(t).HasActivationNetwork));

        var before = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.data<float>().ToArray());
        session.RunEpoch();
        Assert.All(model.named_parameters(), p => Assert.NotEqual(before[p.name], p.parameter.data<float>().ToArray()));
        Assert.Contains(before.Keys, k => k.StartsWith("activation.", StringComparison.Ordinal));
        Assert.Contains(before.Keys, k => k.StartsWith("tasks.2.", StringComparison.Ordinal));
    }

    [Fact]
    public void ResumingMidEpochFromACheckpointGivesBitIdenticalWeights()
    {
        var tasks = Tasks(300, 700, 1000);
        var spec = Spec(tasks, epochs: 3);
        byte[] uninterrupted;
        IReadOnlyList<EpochMetrics> history;
        using (var session = MultitaskSession.Create(spec, tasks))
        {
            session.RunToCompletion();
            uninterrupted = SyntheticTables.ParameterBytes(session.Model);
            history = session.History;
        }

        using var checkpoint = new MemoryStream();
        using (var first = MultitaskSession.Create(spec, tasks))
        {
            first.RunEpoch();
            using var cancel = new CancellationTokenSource();
            var progress = new ImmediateProgress<BatchProgress>(p =>
            {
                if (p.Step == 3)
                {
                    cancel.Cancel();
                }
            });
            Assert.Throws<OperationCanceledException>(() => first.RunEpoch(progress, cancel.Token));
            Assert.Equal(3, first.StepInEpoch);
            first.SaveCheckpoint(checkpoint);
        }

        checkpoint.Position = 0;
        using var resumed = MultitaskSession.Restore(spec, tasks, checkpoint);
        Assert.Equal(1, resumed.CompletedEpochs);
        Assert.Equal(3, resumed.StepInEpoch);
        resumed.RunToCompletion();

        Assert.Equal(uninterrupted, SyntheticTables.ParameterBytes(resumed.Model));
        Assert.Equal(SyntheticTables.Reproducible(history), SyntheticTables.Reproducible(resumed.History));
    }

    [Fact]
    public void ACheckpointOfOtherTasksIsRefused()
    {
        var tasks = Tasks(300, 700);
        using var checkpoint = new MemoryStream();
        using (var session = MultitaskSession.Create(Spec(tasks), tasks))
        {
            session.RunEpoch();
            session.SaveCheckpoint(checkpoint);
        }

        var others = Tasks(300, 701);
        checkpoint.Position = 0;
        Assert.Throws<CheckpointException>(() => MultitaskSession.Restore(Spec(others), others, checkpoint));
    }

    [Fact]
    public void ACheckpointIsBoundToItsCurvaturePenalty()
    {
        // The penalty changes what a step descends: a checkpoint made under another strength (or none) is refused.
        var tasks = Tasks(300, 700);
        var penalised = Spec(tasks);
        var free = penalised with { Train = penalised.Train with { ActivationCurvature = 0 } };
        using var checkpoint = new MemoryStream();
        using (var session = MultitaskSession.Create(free, tasks))
        {
            session.RunEpoch();
            session.SaveCheckpoint(checkpoint);
        }

        Assert.NotEqual(free.Hash(), penalised.Hash());
        checkpoint.Position = 0;
        Assert.Throws<CheckpointException>(() => MultitaskSession.Restore(penalised, tasks, checkpoint));
    }

    [Fact]
    public void AMeanValidationSpikeRollsTheJointRunBackToItsBestWeights()
    {
        // Lr 5e-2 overfits these small tables within a few epochs; a threshold just above 1 fires on every epoch
        // whose mean validation loss is worse than the best, until the rollbacks run out.
        var tasks = Tasks(300, 700);
        var spec = Guarded(tasks);
        using var session = MultitaskSession.Create(spec, tasks);
        // The next epoch starts from the best epoch's weights: their mean validation loss is the best again.
        var rollbacks = RollbackWatch.Train(() => session.IsComplete, () => session.RunEpoch(),
            best => Assert.Equal(best, MeanValidationLoss(session, tasks), 12));

        var result = session.Complete();
        Assert.Equal(TrainConfig.MaxRollbacks, rollbacks.Count);
        Assert.Equal(rollbacks, result.Rollbacks);
    }

    [Fact]
    public void AJointRunWithRollbacksResumesBitForBitFromEveryEpoch()
    {
        var tasks = Tasks(300, 700);
        var spec = Guarded(tasks);
        using var straight = MultitaskSession.Create(spec, tasks);
        var straightResult = straight.RunToCompletion();
        Assert.NotEmpty(straightResult.Rollbacks);

        for (var k = 1; k <= straightResult.History.Count; k++)
        {
            using var checkpoint = new MemoryStream();
            using (var first = MultitaskSession.Create(spec, tasks))
            {
                for (var epoch = 0; epoch < k; epoch++)
                {
                    first.RunEpoch();
                }

                first.SaveCheckpoint(checkpoint);
            }

            checkpoint.Position = 0;
            using var resumed = MultitaskSession.Restore(spec, tasks, checkpoint);
            var resumedResult = resumed.IsComplete ? resumed.Complete() : resumed.RunToCompletion();

            Assert.Equal(SyntheticTables.Reproducible(straight.History), SyntheticTables.Reproducible(resumed.History));
            Assert.Equal(SyntheticTables.ParameterBytes(straight.Model), SyntheticTables.ParameterBytes(resumed.Model));
            Assert.Equal(straightResult.Rollbacks, resumedResult.Rollbacks);
        }
    }

    [Fact]
    public void TheWarmUpTheGuardAndTheActivationRateEachChangeTheJointRunAndItsHash()
    {
        var tasks = Tasks(300, 700);
        var unguarded = Spec(tasks, epochs: 1);
        var off = unguarded with { Train = unguarded.Train with { LearningRateWarmup = 0, RollbackAbove = 0 } };
        var variants = new[]
        {
            off with { Train = off.Train with { LearningRateWarmup = 1 } },
            off with { Train = off.Train with { ActivationLearningRateScale = 0.25 } },
        };

        using var plain = MultitaskSession.Create(off, tasks);
        plain.RunEpoch();
        foreach (var variant in variants)
        {
            using var session = MultitaskSession.Create(variant, tasks);
            session.RunEpoch();
            Assert.NotEqual(SyntheticTables.ParameterBytes(plain.Model), SyntheticTables.ParameterBytes(session.Model));
            Assert.NotEqual(off.Hash(), variant.Hash());
        }

        // The rate scale acts on the shared activation only.
        using var scaled = MultitaskSession.Create(variants[1], tasks);
        Assert.Equal(
            off.Train.LearningRate * 0.25,
            scaled.Optimizer.LearningRateOf(scaled.Model.Activation.parameters().First()),
            15);
        Assert.Equal(off.Train.LearningRate, scaled.Optimizer.LearningRateOf(scaled.Model.Task(0).parameters().First()), 15);

        // A checkpoint made without the guard is refused by a spec with it: the guard changes what the run does next.
        using var checkpoint = new MemoryStream();
        plain.SaveCheckpoint(checkpoint);
        checkpoint.Position = 0;
        Assert.NotEqual(off.Hash(), (off with { Train = off.Train with { RollbackAbove = 1.5 } }).Hash());
        Assert.Throws<CheckpointException>(() => MultitaskSession.Restore(off with { Train = off.Train with { RollbackAbove = 1.5 } }, tasks, checkpoint));
    }

    [Fact]
    public void EarlyStoppingWatchesTheMeanValidationLossOverTasks()
    {
        var tasks = Tasks(300, 700);
        using var session = MultitaskSession.Create(Spec(tasks, epochs: 2), tasks);

        var metrics = session.RunEpoch();

        Assert.Equal(session.LastValidation.Average(v => v.Loss), metrics.ValLoss, 12);
        Assert.Equal(2, session.LastValidation.Count);
    }

    [Fact]
    public void TheSharedActivationIsSavedAsALearnedRunSavesItsOwn()
    {
        var tasks = Tasks(300, 700);
        using var session = MultitaskSession.Create(Spec(tasks, epochs: 1), tasks);
        session.RunToCompletion();
        using var folder = new LearnedActivation.Tests.TempDirectory();

        var (weights, plot) = session.SaveActivation(folder.Path);

        Assert.Equal(Path.Combine(folder.Path, "activation.dat"), weights.TorchSharp);
        Assert.Equal("tab_classification_covertype_tanh_small_small.png", Path.GetFileName(plot));
        Assert.True(File.Exists(weights.PyTorch) && File.Exists(weights.Safetensors) && File.Exists(plot));

        // It loads into a single-task run's activation network and computes the same function.
        using var network = new LearnedActivationNetwork(4, Config);
        ActivationWeights.Load(network.Activation, weights.TorchSharp);
        Assert.Equal(SyntheticTables.ParameterBytes(session.Model.Activation), SyntheticTables.ParameterBytes(network.Activation));
    }
}
