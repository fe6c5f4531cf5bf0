using System.Diagnostics;
using LearnedActivation.Model.Analysis;
using LearnedActivation.Model.Checkpoints;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Data;
using LearnedActivation.Model.Evaluation;
using LearnedActivation.Model.Networks;
using LearnedActivation.Model.Plots;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Training;

/// <summary>
/// One training run that is driven one epoch at a time, so that its owner (the CLI, or a grain's dedicated
/// thread) can report, checkpoint and stop between calls. Not thread-safe: use it from one thread, because
/// TorchSharp's dispose scopes and grad mode are per thread. Same spec, same data and same thread count give
/// bitwise-identical weights, whether or not the run was checkpointed and restored along the way.
/// </summary>
public sealed class TrainingSession : IDisposable
{
    private readonly RunSpec _spec;
    private readonly SplitTensors _train;
    private readonly SplitTensors _validation;
    private readonly SplitTensors _test;
    private readonly Generator _generator;
    private readonly LearnedActivationNetwork _model;
    private readonly AdamOptimizer _optimizer;
    private readonly TrainingCheckpoint _checkpoint;
    private readonly ShapePenalty? _shapePenalty;

    private readonly double? _warmStartFitError;

    private TrainingState _state = new();
    private int[]? _order;
    private int _orderEpoch;
    private RunResult? _result;
    private bool _disposed;

    private TrainingSession(RunSpec spec, DataSplits data)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(data);
        spec.Train.Validate();
        CheckSplits(data);

        _spec = spec;
        _train = new SplitTensors(data.Train);
        _validation = new SplitTensors(data.Validation);
        _test = new SplitTensors(data.Test);

        // A generator of its own (not torch.manual_seed): several runs share a process on a silo.
        _generator = new Generator(unchecked((ulong)spec.Train.Seed), CPU);
        _model = new LearnedActivationNetwork(data.Train.Width, spec.Model, _generator, ActivationEvaluators.For(spec.Train.ActivationEval));
        if (spec.Model.Arm == StudyArm.Warm)
        {
            // Deterministic, so a restored session recomputes the same error (its weights then come from the checkpoint).
            _warmStartFitError = ActivationWarmStart.FitToBase(_model.Activation);
        }

        ApplyTransferArm(spec, _model);

        // The learned arm's remedy for overfitting (ShapePenalty says why); the other arms train on the data loss alone.
        if (spec.Model.Arm == StudyArm.Learned && spec.Train.ActivationCurvature > 0)
        {
            _shapePenalty = new ShapePenalty(_model.Activation, spec.Train.ActivationCurvature);
        }

        // Frozen parameters (requires_grad off: the frozen arms, of a transfer sweep or of a multitask sweep's holdout)
        // are left out of the optimiser: their weights stay bit for bit what they started as.
        _optimizer = new AdamOptimizer(_model.parameters().Where(p => p.requires_grad), LearningRates(spec.Train, spec.Model.Arm, _model.HasActivationNetwork ? _model.Activation : null));
        _checkpoint = new TrainingCheckpoint(spec, SplitTensors.Fingerprint(data), _train.Rows, _generator, _model, _optimizer);
    }

    public RunSpec Spec => _spec;

    /// <summary>The network being trained; after <see cref="Complete"/> it holds the weights of the best epoch (lowest validation loss).</summary>
    public LearnedActivationNetwork Model => _model;

    public IReadOnlyList<EpochMetrics> History => _state.History.AsReadOnly();

    public int CompletedEpochs => _state.CompletedEpochs;

    /// <summary>Batches done in the current epoch; non-zero only after a cancelled <see cref="RunEpoch"/>.</summary>
    public int StepInEpoch => _state.StepInEpoch;

    public int StepsPerEpoch => (_train.Rows + _spec.Train.BatchSize - 1) / _spec.Train.BatchSize;

    /// <summary>The run is over: validation loss has not improved for <see cref="TrainConfig.Patience"/> epochs, or the cap is reached.</summary>
    public bool IsComplete => _state.IsComplete(_spec.Train);

    /// <summary>Stopped by the patience rather than by the epoch cap.</summary>
    public bool StoppedEarly => _state.StoppedEarly(_spec.Train);

    /// <summary>A new run: weights drawn from the spec's seed.</summary>
    public static TrainingSession Create(RunSpec spec, DataSplits data) => new(spec, data);

    /// <summary>Continues a run from a checkpoint written by <see cref="SaveCheckpoint"/>.</summary>
    /// <exception cref="CheckpointException">The checkpoint is truncated, corrupted, of another format, or of another run or data.</exception>
    public static TrainingSession Restore(RunSpec spec, DataSplits data, Stream checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var session = new TrainingSession(spec, data);
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

    /// <summary>
    /// The training loop: trains epochs until the run is complete (<see cref="IsComplete"/>: the patience ran out or the
    /// cap was reached), then <see cref="Complete"/>s the run. Blocks the calling thread.
    /// </summary>
    /// <param name="afterEpoch">Called after each epoch, between epochs: where the owner reports, checkpoints or logs.</param>
    /// <param name="batchProgress">Told after every batch, for a live progress bar.</param>
    /// <param name="cancellationToken">Checked before every batch; see <see cref="RunEpoch(IProgress{BatchProgress}?, CancellationToken)"/>.</param>
    /// <exception cref="TrainingDivergedException">A loss became NaN or infinite.</exception>
    public RunResult RunToCompletion(
        Action<EpochMetrics>? afterEpoch = null,
        IProgress<BatchProgress>? batchProgress = null,
        CancellationToken cancellationToken = default)
    {
        while (!IsComplete)
        {
            var metrics = RunEpoch(batchProgress, cancellationToken);
            afterEpoch?.Invoke(metrics);
        }

        return Complete();
    }

    /// <summary>
    /// Trains the rest of the current epoch, then evaluates on the validation split. On cancellation it stops at
    /// a batch boundary and throws <see cref="OperationCanceledException"/>; the session stays consistent, so
    /// it can be checkpointed there and the epoch continued later with identical results.
    /// </summary>
    /// <exception cref="TrainingDivergedException">A batch's loss or the validation loss is NaN or infinite;
    /// the weights are broken and the session is of no further use.</exception>
    public EpochMetrics RunEpoch(CancellationToken cancellationToken = default) => RunEpoch(batchProgress: null, cancellationToken);

    /// <inheritdoc cref="RunEpoch(CancellationToken)"/>
    /// <param name="batchProgress">Told after every batch (on this thread, via Report), for a live progress bar.</param>
    /// <param name="cancellationToken">Checked before every batch.</param>
    public EpochMetrics RunEpoch(IProgress<BatchProgress>? batchProgress, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (IsComplete)
        {
            throw new InvalidOperationException($"run {_spec.Model.Name} is complete after {_state.CompletedEpochs} epochs (cap {_spec.Train.Epochs}, patience {_spec.Train.Patience})");
        }

        set_num_threads(_spec.Train.TorchThreads);
        NativeHeap.KeepFreedMemory();
        var epoch = _state.CompletedEpochs + 1;
        var order = OrderFor(epoch);
        var steps = StepsPerEpoch;
        var batch = _spec.Train.BatchSize;
        var clock = Stopwatch.StartNew();
        try
        {
            _model.train();
            while (_state.StepInEpoch < steps)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var start = _state.StepInEpoch * batch;
                var count = Math.Min(batch, _train.Rows - start);
                var loss = TrainStep(order, start, count);
                if (!float.IsFinite(loss))
                {
                    // Checked per batch because it costs nothing (the loss is on the host already) and a NaN
                    // batch would poison the epoch's mean anyway; the weights are past saving from here on.
                    throw new TrainingDivergedException(epoch, "train", loss);
                }

                _state.EpochLossSum += loss * count;
                _state.StepInEpoch++;
                batchProgress?.Report(new BatchProgress(epoch, _state.StepInEpoch, steps));
            }

            var validation = ModelEvaluation.Evaluate(_model, _validation);
            if (!double.IsFinite(validation.Loss))
            {
                // The last batch's update can break the weights after its own (finite) loss was taken.
                throw new TrainingDivergedException(epoch, "validation", validation.Loss);
            }

            var metrics = new EpochMetrics(epoch, _state.EpochLossSum / _train.Rows, validation.Loss, validation.Accuracy, validation.Auc, _state.EpochElapsed + clock.Elapsed);
            _state.KeepIfBest(epoch, validation.Loss, validation.Accuracy, _model);

            _state.EndEpoch(metrics);
            if (_state.ShouldRollBack(validation.Loss, _spec.Train))
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

    /// <summary>Writes everything needed to continue this run bit for bit (see <see cref="TrainingCheckpoint"/>).</summary>
    public void SaveCheckpoint(Stream destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _checkpoint.Write(destination, _state);
    }

    /// <summary>
    /// Loads the weights of the best epoch (lowest validation loss) into <see cref="Model"/> and measures them on the
    /// test split: metrics, the pre-activations' distribution and the learned function's analysis (once, here, so
    /// epochs pay nothing for them), and their accuracy on the train split. Calling it again returns the same result.
    /// </summary>
    public RunResult Complete()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_result is not null)
        {
            return _result;
        }

        if (!IsComplete)
        {
            throw new InvalidOperationException($"run {_spec.Model.Name} has trained {_state.CompletedEpochs} epochs and is not complete (cap {_spec.Train.Epochs}, patience {_spec.Train.Patience}); run the rest before completing it");
        }

        set_num_threads(_spec.Train.TorchThreads);
        NativeHeap.KeepFreedMemory();
        ModuleState.Load(_model, _state.BestModelState);
        var test = ModelEvaluation.Evaluate(_model, _test);
        var train = ModelEvaluation.Evaluate(_model, _train);
        var sample = ActivationProbe.SamplePreActivations(_model, _test.Features);
        var preActivations = ActivationProbe.PreActivations(_model, _test.Features);

        // The fixed arms apply the plain base: no learned function to draw or analyse.
        var (x, y) = _model.HasActivationNetwork ? ActivationProbe.Curve(_model.Activation, LearnedActivationFigure.XRangeFor(sample)) : ([], []);
        var history = _state.History.ToArray();
        _result = new RunResult(
            _spec.Model.Name,
            _spec.Hash(),
            history,
            _state.BestEpoch,
            _state.BestValAccuracy,
            test.Loss,
            test.Accuracy,
            test.Auc,
            x,
            y,
            sample,
            history.Aggregate(TimeSpan.Zero, (sum, m) => sum + m.Elapsed),
            preActivations,
            // A run whose pre-activations collapsed to one value (or are not finite) has no interval to measure
            // over; it still completes, without an analysis.
            _model.HasActivationNetwork && ActivationAnalyser.CanAnalyse(preActivations.Pooled) ? ActivationAnalyser.Analyse(_model.Activation, preActivations.Pooled) : null)
        {
            Arm = _spec.Model.Arm,
            Parameters = _model.Parameters,
            TrainAccuracy = train.Accuracy,
            WarmStartFitError = _warmStartFitError,
            StoppedEarly = StoppedEarly,
            Rollbacks = [.. _state.Rollbacks],
        };
        return _result;
    }

    /// <summary>Exports the learned activation of the best weights (call after <see cref="Complete"/>; not in the fixed arms, which have none).</summary>
    public ActivationWeightFiles SaveActivationWeights(string path)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_model.HasActivationNetwork)
        {
            throw new InvalidOperationException($"run {_spec.Model.Name} has no activation network to export (arm {Names.Of(_spec.Model.Arm)})");
        }

        if (_result is null)
        {
            throw new InvalidOperationException("the activation's weights are exported after Complete(), which loads the best weights");
        }

        return ActivationWeights.Save(_model.Activation, path);
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
        _train.Dispose();
        _validation.Dispose();
        _test.Dispose();
    }

    /// <summary>
    /// Each parameter's rate: the learned arm's activation network at the rate times its scale (TrainConfig says why),
    /// everything else at the rate. A multitask joint run's shared activation is a learned one.
    /// </summary>
    internal static Func<TorchSharp.Modules.Parameter, double> LearningRates(TrainConfig train, StudyArm arm, nn.Module? activationNetwork)
    {
        var rate = train.LearningRate;
        if (arm != StudyArm.Learned || train.ActivationLearningRateScale == 1 || activationNetwork is null)
        {
            return _ => rate;
        }

        var activation = activationNetwork.parameters().Select(p => p.Handle).ToHashSet();
        var activationRate = rate * train.ActivationLearningRateScale;
        return p => activation.Contains(p.Handle) ? activationRate : rate;
    }

    /// <summary>
    /// The transfer arms (docs/transfer-results.md): <c>frozen</c> and <c>finetuned</c> start from the source run's
    /// activation weights (drawn from-scratch weights are overwritten, so the generator has advanced exactly as in
    /// the learned arm and the outer network starts from the same weights); <c>frozen</c> and <c>random-frozen</c>
    /// stop gradients to the activation network.
    /// </summary>
    private static void ApplyTransferArm(RunSpec spec, LearnedActivationNetwork model)
    {
        var arm = spec.Model.Arm;
        if (arm.NeedsSourceActivation())
        {
            var source = spec.SourceActivation
                ?? throw new ArgumentException($"arm {Names.Of(arm)} starts from a source run's activation, and run {spec.Model.Name} names none (it exists in transfer sweeps: learnact transfer)", nameof(spec));
            source.LoadInto(model.Activation);
        }
        else if (spec.SourceActivation is not null)
        {
            throw new ArgumentException($"run {spec.Model.Name} has a source activation, which only the arms frozen and finetuned use", nameof(spec));
        }

        if (arm.FreezesActivation())
        {
            foreach (var parameter in model.Activation.parameters())
            {
                parameter.requires_grad = false;
            }
        }
    }

    private static void CheckSplits(DataSplits data)
    {
        var width = data.Train.Width;
        foreach (var (name, split) in new[] { ("train", data.Train), ("validation", data.Validation), ("test", data.Test) })
        {
            if (split.Rows == 0)
            {
                throw new ArgumentException($"the {name} split is empty", nameof(data));
            }

            if (split.Width != width)
            {
                throw new ArgumentException($"the {name} split has {split.Width} features, the train split {width}", nameof(data));
            }
        }
    }

    private int[] OrderFor(int epoch)
    {
        if (_order is null || _orderEpoch != epoch)
        {
            _order = EpochOrder.Permutation(_train.Rows, _spec.Train.Seed, epoch);
            _orderEpoch = epoch;
        }

        return _order;
    }

    private float TrainStep(int[] order, int start, int count)
    {
        using var scope = NewDisposeScope();
        var rows = new long[count];
        for (var i = 0; i < count; i++)
        {
            rows[i] = order[start + i];
        }

        var index = tensor(rows);
        var features = _train.Features.index_select(0, index);
        var labels = _train.Labels.index_select(0, index);

        _optimizer.ZeroGrad();
        var loss = nn.functional.binary_cross_entropy_with_logits(_model.forward(features), labels);
        // The reported loss stays the data loss: it is what the curves and the stopping rule compare across arms.
        var objective = _shapePenalty?.AddTo(loss, _state.CompletedEpochs + ((double)_state.StepInEpoch / StepsPerEpoch)) ?? loss;
        objective.backward();
        _optimizer.Step(_state.LearningRateFactor(_spec.Train, StepsPerEpoch));
        return loss.item<float>();
    }

    /// <summary>
    /// The learning rate's factor at 0-based training step <paramref name="step"/> under a linear warm-up over
    /// <paramref name="warmupEpochs"/> epochs of <paramref name="stepsPerEpoch"/> steps: (step + 1) / warm-up steps, at
    /// most 1; 1 without a warm-up. A function of the step alone, so a resumed run continues it exactly.
    /// </summary>
    public static double WarmupFactor(double warmupEpochs, long step, int stepsPerEpoch)
    {
        if (!(warmupEpochs > 0))
        {
            return 1;
        }

        var warmupSteps = warmupEpochs * stepsPerEpoch;
        return Math.Min(1, (step + 1) / warmupSteps);
    }
}
