using System.Diagnostics;
using System.Security.Cryptography;
using LearnedActivation.Model.Checkpoints;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Data;
using LearnedActivation.Model.Evaluation;
using LearnedActivation.Model.Networks;
using LearnedActivation.Model.Plots;
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
    private readonly string _dataFingerprint;
    private readonly SplitTensors _train;
    private readonly SplitTensors _validation;
    private readonly SplitTensors _test;
    private readonly Generator _generator;
    private readonly LearnedActivationNetwork _model;
    private readonly AdamOptimizer _optimizer;
    private readonly List<EpochMetrics> _history = [];

    private int _completedEpochs;
    private int _stepInEpoch;
    private double _epochLossSum;
    private TimeSpan _epochElapsed;
    private int[]? _order;
    private int _orderEpoch;
    private int _bestEpoch;
    private double _bestValAccuracy = double.NegativeInfinity;
    private byte[] _bestState = [];
    private RunResult? _result;
    private bool _disposed;

    private TrainingSession(RunSpec spec, DataSplits data)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(data);
        spec.Train.Validate();
        CheckSplits(data);

        _spec = spec;
        _dataFingerprint = SplitTensors.Fingerprint(data);
        _train = new SplitTensors(data.Train);
        _validation = new SplitTensors(data.Validation);
        _test = new SplitTensors(data.Test);

        // A generator of its own (not torch.manual_seed): several runs share a process on a silo.
        _generator = new Generator(unchecked((ulong)spec.Train.Seed), CPU);
        _model = new LearnedActivationNetwork(data.Train.Width, spec.Model, _generator, ActivationEvaluators.For(spec.Train.ActivationEval));
        if (spec.Train.WarmStartActivation)
        {
            ActivationWarmStart.FitToBase(_model.Activation);
        }

        _optimizer = new AdamOptimizer(_model.parameters(), spec.Train.LearningRate);
    }

    public RunSpec Spec => _spec;

    /// <summary>The network being trained; after <see cref="Complete"/> it holds the best weights.</summary>
    public LearnedActivationNetwork Model => _model;

    public IReadOnlyList<EpochMetrics> History => _history.AsReadOnly();

    public int CompletedEpochs => _completedEpochs;

    /// <summary>Batches done in the current epoch; non-zero only after a cancelled <see cref="RunEpoch"/>.</summary>
    public int StepInEpoch => _stepInEpoch;

    public int StepsPerEpoch => (_train.Rows + _spec.Train.BatchSize - 1) / _spec.Train.BatchSize;

    public bool IsComplete => _completedEpochs >= _spec.Train.Epochs;

    /// <summary>A new run: weights drawn from the spec's seed.</summary>
    public static TrainingSession Create(RunSpec spec, DataSplits data) => new(spec, data);

    /// <summary>Continues a run from a checkpoint written by <see cref="SaveCheckpoint"/>.</summary>
    /// <exception cref="CheckpointException">The checkpoint is truncated, corrupted, of another format, or of another run or data.</exception>
    public static TrainingSession Restore(RunSpec spec, DataSplits data, Stream checkpoint)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(checkpoint);
        var payload = CheckpointEnvelope.Read(checkpoint, spec.Hash(), spec.Model.Name);
        var snapshot = TrainingSnapshot.FromBytes(payload);
        var session = new TrainingSession(spec, data);
        try
        {
            session.Apply(snapshot);
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
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
            throw new InvalidOperationException($"run {_spec.Model.Name} has already trained all {_spec.Train.Epochs} epochs");
        }

        set_num_threads(_spec.Train.TorchThreads);
        var epoch = _completedEpochs + 1;
        var order = OrderFor(epoch);
        var steps = StepsPerEpoch;
        var batch = _spec.Train.BatchSize;
        var clock = Stopwatch.StartNew();
        try
        {
            _model.train();
            while (_stepInEpoch < steps)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var start = _stepInEpoch * batch;
                var count = Math.Min(batch, _train.Rows - start);
                var loss = TrainStep(order, start, count);
                if (!float.IsFinite(loss))
                {
                    // Checked per batch because it costs nothing (the loss is on the host already) and a NaN
                    // batch would poison the epoch's mean anyway; the weights are past saving from here on.
                    throw new TrainingDivergedException(epoch, "train", loss);
                }

                _epochLossSum += loss * count;
                _stepInEpoch++;
                batchProgress?.Report(new BatchProgress(epoch, _stepInEpoch, steps));
            }

            var validation = ModelEvaluation.Evaluate(_model, _validation);
            if (!double.IsFinite(validation.Loss))
            {
                // The last batch's update can break the weights after its own (finite) loss was taken.
                throw new TrainingDivergedException(epoch, "validation", validation.Loss);
            }

            var metrics = new EpochMetrics(epoch, _epochLossSum / _train.Rows, validation.Loss, validation.Accuracy, validation.Auc, _epochElapsed + clock.Elapsed);
            _history.Add(metrics);
            if (validation.Accuracy > _bestValAccuracy)
            {
                _bestValAccuracy = validation.Accuracy;
                _bestEpoch = epoch;
                _bestState = SaveModule(_model);
            }

            _completedEpochs = epoch;
            _stepInEpoch = 0;
            _epochLossSum = 0;
            _epochElapsed = TimeSpan.Zero;
            return metrics;
        }
        catch (OperationCanceledException)
        {
            _epochElapsed += clock.Elapsed;
            throw;
        }
    }

    /// <summary>Writes everything needed to continue this run bit for bit (see <see cref="CheckpointEnvelope"/>).</summary>
    public void SaveCheckpoint(Stream destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(destination);
        using var generatorState = _generator.get_state();
        var snapshot = new TrainingSnapshot
        {
            DataFingerprint = _dataFingerprint,
            TrainRows = _train.Rows,
            CompletedEpochs = _completedEpochs,
            StepInEpoch = _stepInEpoch,
            EpochLossSum = _epochLossSum,
            EpochElapsed = _epochElapsed,
            OrderHash = IsComplete ? string.Empty : OrderHash(OrderFor(_completedEpochs + 1)),
            GeneratorState = generatorState.data<byte>().ToArray(),
            ModelState = SaveModule(_model),
            OptimizerState = SaveOptimizer(_optimizer),
            BestEpoch = _bestEpoch,
            BestValAccuracy = _bestValAccuracy,
            BestModelState = _bestState,
            History = _history,
        };
        CheckpointEnvelope.Write(destination, _spec.Hash(), _spec.Model.Name, snapshot.ToBytes());
    }

    /// <summary>
    /// Loads the weights of the best validation accuracy into <see cref="Model"/> and measures them on the test
    /// split. Calling it again returns the same result.
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
            throw new InvalidOperationException($"run {_spec.Model.Name} has trained {_completedEpochs} of {_spec.Train.Epochs} epochs; run the rest before completing it");
        }

        set_num_threads(_spec.Train.TorchThreads);
        LoadModule(_model, _bestState);
        var test = ModelEvaluation.Evaluate(_model, _test);
        var sample = ActivationProbe.SamplePreActivations(_model, _test.Features);
        // The range the data actually uses (0.5-99.5 percentiles, at least [-3, 3]): a few extreme
        // pre-activations would otherwise stretch the graph until its interesting part is a sliver.
        var range = XRange.FromSamples(sample);
        var (x, y) = ActivationProbe.Curve(_model.Activation, range.Min, range.Max);
        _result = new RunResult(
            _spec.Model.Name,
            _spec.Hash(),
            _history.ToArray(),
            _bestEpoch,
            _bestValAccuracy,
            test.Loss,
            test.Accuracy,
            test.Auc,
            x,
            y,
            sample,
            _history.Aggregate(TimeSpan.Zero, (sum, m) => sum + m.Elapsed));
        return _result;
    }

    /// <summary>Exports the learned activation of the best weights (call after <see cref="Complete"/>).</summary>
    public ActivationWeightFiles SaveActivationWeights(string path)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
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

    private static string OrderHash(int[] order) =>
        Convert.ToHexStringLower(SHA256.HashData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(order.AsSpan())));

    private static byte[] SaveModule(nn.Module module)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            module.save(writer);
        }

        return buffer.ToArray();
    }

    private static void LoadModule(nn.Module module, byte[] state)
    {
        using var reader = new BinaryReader(new MemoryStream(state, writable: false));
        module.load(reader, strict: true);
    }

    private static byte[] SaveOptimizer(AdamOptimizer optimizer)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            optimizer.Save(writer);
        }

        return buffer.ToArray();
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
        loss.backward();
        _optimizer.Step();
        return loss.item<float>();
    }

    private void Apply(TrainingSnapshot snapshot)
    {
        if (snapshot.DataFingerprint != _dataFingerprint)
        {
            throw new CheckpointException(CheckpointFailure.WrongRun, $"checkpoint of {_spec.Model.Name} was made on other data (fingerprint {snapshot.DataFingerprint}, these splits {_dataFingerprint})");
        }

        if (snapshot.TrainRows != _train.Rows
            || snapshot.CompletedEpochs < 0 || snapshot.CompletedEpochs > _spec.Train.Epochs
            || snapshot.StepInEpoch < 0 || snapshot.StepInEpoch >= Math.Max(1, StepsPerEpoch)
            || snapshot.History.Count != snapshot.CompletedEpochs
            || (snapshot.CompletedEpochs > 0) != (snapshot.BestEpoch > 0))
        {
            throw new CheckpointException(CheckpointFailure.Corrupted, $"checkpoint of {_spec.Model.Name} holds an impossible position (epoch {snapshot.CompletedEpochs}, step {snapshot.StepInEpoch}, {snapshot.History.Count} epochs of history)");
        }

        _completedEpochs = snapshot.CompletedEpochs;
        if (!IsComplete && snapshot.OrderHash != OrderHash(OrderFor(_completedEpochs + 1)))
        {
            throw new CheckpointException(CheckpointFailure.UnknownFormat, $"checkpoint of {_spec.Model.Name} was made by a build that orders training rows differently; it cannot be resumed exactly");
        }

        try
        {
            using (var state = tensor(snapshot.GeneratorState))
            {
                _generator.set_state(state);
            }

            LoadModule(_model, snapshot.ModelState);
            using (var reader = new BinaryReader(new MemoryStream(snapshot.OptimizerState, writable: false)))
            {
                _optimizer.Load(reader);
            }
        }
        catch (Exception e) when (e is not CheckpointException)
        {
            throw new CheckpointException(CheckpointFailure.Corrupted, $"checkpoint of {_spec.Model.Name} holds tensors that do not fit the network: {e.Message}", e);
        }

        _stepInEpoch = snapshot.StepInEpoch;
        _epochLossSum = snapshot.EpochLossSum;
        _epochElapsed = snapshot.EpochElapsed;
        _bestEpoch = snapshot.BestEpoch;
        _bestValAccuracy = snapshot.BestValAccuracy;
        _bestState = snapshot.BestModelState;
        _history.AddRange(snapshot.History);
    }
}
