using System.Diagnostics;
using LearnedActivation.Model.Checkpoints;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Data;
using LearnedActivation.Model.Evaluation;
using LearnedActivation.Model.Plots;
using LearnedActivation.Model.Training;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Multitask;

/// <summary>
/// One multitask run: ONE activation network shared by one outer network per task (<see cref="MultitaskNetwork"/>),
/// trained jointly with ONE Adam optimiser over all parameters. Each step takes one batch from every task
/// (<see cref="MultitaskSchedule"/>) and descends the plain mean of the task losses (<see cref="MultitaskLoss"/>);
/// each epoch ends with the validation loss of every task, and early stopping watches their mean. Driven one epoch
/// at a time like <see cref="TrainingSession"/>, with the same guarantees: not thread-safe (one thread), and a run
/// checkpointed and restored anywhere between batches ends with bitwise the weights of an uninterrupted one. It
/// descends as a single-task learned run does: the curvature penalty, the learning-rate warm-up, the divergence guard
/// (rollback to the best weights, against the mean validation loss) and the activation network's rate scale.
/// </summary>
public sealed class MultitaskSession : IDisposable
{
    private readonly MultitaskRunSpec _spec;
    private readonly (SplitTensors Train, SplitTensors Validation, SplitTensors Test)[] _tasks;
    private readonly MultitaskSchedule _schedule;
    private readonly Generator _generator;
    private readonly MultitaskNetwork _model;
    private readonly AdamOptimizer _optimizer;
    private readonly MultitaskCheckpoint _checkpoint;

    // The curvature penalty on the shared activation, as a single-task learned run has it; null when its strength is 0.
    private readonly ShapePenalty? _shapePenalty;

    private TrainingState _state = new();
    private MultitaskResult? _result;
    private bool _disposed;

    private MultitaskSession(MultitaskRunSpec spec, IReadOnlyList<DataSplits> tasks)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(tasks);
        spec.Train.Validate();
        if (tasks.Count < 2)
        {
            throw new ArgumentException($"a multitask run needs at least two tasks (got {tasks.Count})", nameof(tasks));
        }

        if (spec.TaskContentHashes.Count != tasks.Count)
        {
            throw new ArgumentException($"the spec names {spec.TaskContentHashes.Count} tasks' data, {tasks.Count} were given", nameof(tasks));
        }

        _spec = spec;
        _tasks = [.. tasks.Select(d => (new SplitTensors(d.Train), new SplitTensors(d.Validation), new SplitTensors(d.Test)))];
        _schedule = new MultitaskSchedule([.. tasks.Select(d => d.Train.Rows)], spec.Train.BatchSize, spec.Train.Seed);
        _generator = new Generator(unchecked((ulong)spec.Train.Seed), CPU);
        _model = new MultitaskNetwork([.. tasks.Select(d => d.Train.Width)], spec.Model, _generator, ActivationEvaluators.For(spec.Train.ActivationEval));
        _optimizer = new AdamOptimizer(_model.parameters(), TrainingSession.LearningRates(spec.Train, StudyArm.Learned, _model.Activation));
        var fingerprint = string.Join('+', tasks.Select(SplitTensors.Fingerprint));
        _checkpoint = new MultitaskCheckpoint(spec, fingerprint, tasks.Sum(d => d.Train.Rows), _schedule, _generator, _model, _optimizer);
        _shapePenalty = spec.Train.ActivationCurvature > 0 ? new ShapePenalty(_model.Activation, spec.Train.ActivationCurvature) : null;
    }

    public MultitaskRunSpec Spec => _spec;

    /// <summary>The shared activation and the outer networks; after <see cref="Complete"/>, the weights of the best epoch.</summary>
    public MultitaskNetwork Model => _model;

    /// <summary>The one optimiser, over every parameter of <see cref="Model"/>.</summary>
    public AdamOptimizer Optimizer => _optimizer;

    public MultitaskSchedule Schedule => _schedule;

    public IReadOnlyList<EpochMetrics> History => _state.History.AsReadOnly();

    public int CompletedEpochs => _state.CompletedEpochs;

    public int StepInEpoch => _state.StepInEpoch;

    /// <summary>Validation loss, accuracy and AUC of each task after the last finished epoch.</summary>
    public IReadOnlyList<EvaluationResult> LastValidation { get; private set; } = [];

    /// <summary>Over: the mean validation loss has not improved for <see cref="TrainConfig.Patience"/> epochs, or the cap is reached.</summary>
    public bool IsComplete => _state.IsComplete(_spec.Train);

    /// <summary>Told (task, rows) for every task batch the loop trains on, in order: lets tests count each task's share.</summary>
    internal Action<int, long[]>? TaskBatchTrained { get; set; }

    public static MultitaskSession Create(MultitaskRunSpec spec, IReadOnlyList<DataSplits> tasks) => new(spec, tasks);

    /// <summary>Continues a run from a checkpoint written by <see cref="SaveCheckpoint"/>.</summary>
    /// <exception cref="CheckpointException">Truncated, corrupted, of another format, or of another run or data.</exception>
    public static MultitaskSession Restore(MultitaskRunSpec spec, IReadOnlyList<DataSplits> tasks, Stream checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var session = new MultitaskSession(spec, tasks);
        try
        {
            session._state = session._checkpoint.Read(checkpoint);
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Trains epochs until the run is complete, then <see cref="Complete"/>s it. Blocks the calling thread.</summary>
    public MultitaskResult RunToCompletion(Action<EpochMetrics>? afterEpoch = null, IProgress<BatchProgress>? batchProgress = null, CancellationToken cancellationToken = default)
    {
        while (!IsComplete)
        {
            // Not afterEpoch?.Invoke(RunEpoch(...)): "?." would skip the epoch itself when there is no callback.
            var metrics = RunEpoch(batchProgress, cancellationToken);
            afterEpoch?.Invoke(metrics);
        }

        return Complete();
    }

    /// <summary>
    /// Trains the rest of the current epoch, then evaluates every task on its validation split. The metrics are the
    /// means over tasks (train loss: the mean over the epoch's steps of the step loss). On cancellation it stops at a
    /// batch boundary, consistent, so it can be checkpointed there and continued with identical results.
    /// </summary>
    /// <exception cref="TrainingDivergedException">A step's loss or a validation loss is NaN or infinite.</exception>
    public EpochMetrics RunEpoch(IProgress<BatchProgress>? batchProgress = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (IsComplete)
        {
            throw new InvalidOperationException($"run {_spec.Name} is complete after {_state.CompletedEpochs} epochs");
        }

        set_num_threads(_spec.Train.TorchThreads);
        NativeHeap.KeepFreedMemory();
        var epoch = _state.CompletedEpochs + 1;
        _schedule.Forget(epoch);
        var steps = _schedule.StepsPerEpoch;
        var clock = Stopwatch.StartNew();
        try
        {
            _model.train();
            while (_state.StepInEpoch < steps)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var loss = TrainStep(epoch, _state.StepInEpoch);
                if (!float.IsFinite(loss))
                {
                    throw new TrainingDivergedException(epoch, "train", loss);
                }

                _state.EpochLossSum += loss;
                _state.StepInEpoch++;
                batchProgress?.Report(new BatchProgress(epoch, _state.StepInEpoch, steps));
            }

            var validation = _tasks.Select((t, i) => ModelEvaluation.Evaluate(_model.Task(i), t.Validation)).ToArray();
            var meanLoss = validation.Average(v => v.Loss);
            if (!double.IsFinite(meanLoss))
            {
                throw new TrainingDivergedException(epoch, "validation", meanLoss);
            }

            LastValidation = validation;
            var metrics = new EpochMetrics(epoch, _state.EpochLossSum / steps, meanLoss, validation.Average(v => v.Accuracy), validation.Average(v => v.Auc), _state.EpochElapsed + clock.Elapsed);
            _state.KeepIfBest(epoch, meanLoss, metrics.ValAccuracy, _model);

            _state.EndEpoch(metrics);
            if (_state.ShouldRollBack(meanLoss, _spec.Train))
            {
                _state.RollBack(epoch, _model, _optimizer);
            }

            return metrics;
        }
        catch (OperationCanceledException)
        {
            _state.EpochElapsed += clock.Elapsed;
            throw;
        }
    }

    /// <summary>Writes everything needed to continue this run bit for bit.</summary>
    public void SaveCheckpoint(Stream destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _checkpoint.Write(destination, _state);
    }

    /// <summary>Loads the best epoch's weights and measures every task on its test split, and the shared function's curve. Idempotent.</summary>
    public MultitaskResult Complete()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_result is not null)
        {
            return _result;
        }

        if (!IsComplete)
        {
            throw new InvalidOperationException($"run {_spec.Name} has trained {_state.CompletedEpochs} epochs and is not complete");
        }

        set_num_threads(_spec.Train.TorchThreads);
        NativeHeap.KeepFreedMemory();
        ModuleState.Load(_model, _state.BestModelState);
        var test = _tasks.Select((t, i) => ModelEvaluation.Evaluate(_model.Task(i), t.Test)).ToArray();

        // The function is drawn over the pre-activations of every task's test rows, each task contributing equally.
        var perTask = ActivationProbe.DefaultSampleSize / _tasks.Length;
        var sample = _tasks.SelectMany((t, i) => ActivationProbe.SamplePreActivations(_model.Task(i), t.Test.Features, perTask)).ToArray();
        var (x, y) = ActivationProbe.Curve(_model.Activation, LearnedActivationFigure.XRangeFor(sample));
        var history = _state.History.ToArray();
        _result = new MultitaskResult(
            _spec.Name,
            _spec.Hash(),
            history,
            _state.BestEpoch,
            test,
            x,
            y,
            sample,
            history.Aggregate(TimeSpan.Zero, (sum, m) => sum + m.Elapsed),
            _state.StoppedEarly(_spec.Train),
            [.. _state.Rollbacks]);
        return _result;
    }

    /// <summary>
    /// Writes the shared activation as a learned run leaves its own: <c>activation.dat</c> (with the <c>.pt</c> and
    /// <c>.safetensors</c> copies, <see cref="ActivationWeights"/>) and the graph under the study's file name.
    /// </summary>
    public (ActivationWeightFiles Weights, string Plot) SaveActivation(string directory)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var result = _result ?? throw new InvalidOperationException("the shared activation is saved after Complete(), which loads the best weights");
        Directory.CreateDirectory(directory);
        var learned = _spec.Model with { Arm = StudyArm.Learned };
        var weights = ActivationWeights.Save(_model.Activation, Path.Combine(directory, Outputs.RunOutputWriter.ActivationWeightsFile));
        var plot = Path.Combine(directory, learned.ActivationPlotFileName);
        var range = new XRange(result.ActivationX[0], result.ActivationX[^1]);
        ActivationPlot.Save(plot, new LearnedActivationFigure(
            $"{LearnedActivationFigure.TitleFor(learned.Base, learned.Outer, learned.Activation)}, shared by {_tasks.Length} tasks",
            new FunctionCurve("learned (multitask)", result.ActivationX, result.ActivationY),
            BaseCurves.Of(learned.Base, result.ActivationX),
            ValueHistogram.FromSamples(result.PreActivationSample, range)));
        return (weights, plot);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _optimizer.Dispose();
        _model.Dispose();
        _generator.Dispose();
        foreach (var (train, validation, test) in _tasks)
        {
            train.Dispose();
            validation.Dispose();
            test.Dispose();
        }
    }

    private float TrainStep(int epoch, int step)
    {
        using var scope = NewDisposeScope();
        var losses = new Tensor[_tasks.Length];
        for (var t = 0; t < _tasks.Length; t++)
        {
            var rows = _schedule.Batch(t, epoch, step);
            TaskBatchTrained?.Invoke(t, rows);
            var index = tensor(rows);
            var (train, _, _) = _tasks[t];
            losses[t] = nn.functional.binary_cross_entropy_with_logits(_model.Task(t).forward(train.Features.index_select(0, index)), train.Labels.index_select(0, index));
        }

        _optimizer.ZeroGrad();
        var loss = MultitaskLoss.Combine(losses);
        // The reported loss stays the data loss, as in a single-task run; the penalty only shapes the descent.
        var objective = _shapePenalty?.AddTo(loss, epoch - 1 + ((double)step / _schedule.StepsPerEpoch)) ?? loss;
        objective.backward();
        _optimizer.Step(_state.LearningRateFactor(_spec.Train, _schedule.StepsPerEpoch));
        return loss.item<float>();
    }
}

/// <summary>What a finished multitask run measured: per task, the test metrics of the best epoch's weights; the shared function's curve.</summary>
public sealed record MultitaskResult(
    string Name,
    string SpecHash,
    IReadOnlyList<EpochMetrics> History,
    int BestEpoch,
    IReadOnlyList<EvaluationResult> TaskTest,
    double[] ActivationX,
    double[] ActivationY,
    double[] PreActivationSample,
    TimeSpan TrainingTime,
    bool StoppedEarly,
    IReadOnlyList<int> Rollbacks);
