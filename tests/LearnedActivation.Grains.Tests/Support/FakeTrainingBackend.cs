using System.Collections.Concurrent;
using System.Text;
using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Execution;
using LearnedActivation.Grains.Training;
using LearnedActivation.Model.Plots;
using LearnedActivation.Model.Reporting;
using ReportOutcome = LearnedActivation.Model.Reporting.RunOutcome;

namespace LearnedActivation.Grains.Tests.Support;

/// <summary>
/// A deterministic stand-in for TorchSharp training. An epoch is instant; metrics are a function of the
/// epoch; the checkpoint is the text "{run}|{epoch}". Tests steer it per sweep: hold runs at a gate
/// before a given epoch, make a run fail after an epoch. It records what it was asked to do so tests can
/// check resumption (start epoch and the checkpoint it received) and that nothing was retrained.
/// </summary>
public sealed class FakeTrainingBackend : ITrainingBackend
{
    private readonly ConcurrentDictionary<string, Gate> _gates = new();
    private readonly ConcurrentDictionary<string, int> _failAfter = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<int>> _epochs = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<(int StartEpoch, string? Checkpoint)>> _calls = new();
    private readonly ConcurrentDictionary<string, bool> _undefinedAuc = new();

    /// <summary>
    /// Runs of <paramref name="sweepId"/> wait before training epoch <paramref name="beforeEpoch"/> until the gate
    /// opens; a cancel stops the wait, unless <paramref name="stopOnCancel"/> is false: then a run that hears a
    /// cancel stays held (see <see cref="Gate.HeardCancelCount"/>) and stops only once the gate opens.
    /// </summary>
    public Gate Hold(string sweepId, int beforeEpoch, bool stopOnCancel = true) => _gates[sweepId] = new Gate(beforeEpoch, stopOnCancel);

    /// <summary>The run throws right after reporting <paramref name="epoch"/> (once; cleared by <see cref="Heal"/>).</summary>
    public void FailAfter(RunKey run, int epoch) => _failAfter[run.ToString()] = epoch;

    public void Heal(RunKey run) => _failAfter.TryRemove(run.ToString(), out _);

    /// <summary>Runs of <paramref name="sweepId"/> report every ROC AUC as NaN, as a split with one class would give.</summary>
    public void ReportUndefinedAuc(string sweepId) => _undefinedAuc[sweepId] = true;

    /// <summary>Epochs trained for the run, in order, over all its executions.</summary>
    public IReadOnlyList<int> EpochsTrained(RunKey run) => _epochs.TryGetValue(run.ToString(), out var q) ? [.. q] : [];

    /// <summary>Each call of <see cref="Train"/> for the run: start epoch and the decoded checkpoint it got.</summary>
    public IReadOnlyList<(int StartEpoch, string? Checkpoint)> Calls(RunKey run) => _calls.TryGetValue(run.ToString(), out var q) ? [.. q] : [];

    /// <summary>What the real backend stores for the report: here the "learned" function is the base function.</summary>
    private static RunSummary Summary(TrainingRequest request, double valAuc, double testAuc)
    {
        var epochs = request.Work.Budget.Epochs;
        var x = XRange.Default.Linspace(101);
        double[] Series(Func<int, double> f) => [.. Enumerable.Range(1, epochs).Select(f)];
        return new RunSummary(
            request.Model, request.Work.Run.Seed, request.Work.Run.ConfigName, ReportOutcome.Completed, null, epochs, epochs, 0.9, valAuc, 0.8, testAuc, TimeSpan.FromSeconds(0.01 * epochs),
            BaseCurves.Of(request.Model.Base, x, "learned"),
            new EpochSeries(request.Work.Run.ConfigName, Series(e => 1.0 / e), Series(e => 1.1 / e), Series(e => 0.5 + (0.4 * e / epochs))));
    }

    public static string CheckpointText(RunKey run, int epoch) => $"{run}|{epoch}";

    public TrainingResult Train(TrainingRequest request, ITrainingObserver observer, CancellationToken cancellationToken)
    {
        var run = request.Work.Key;
        var name = run.ToString();
        var received = request.Checkpoint is null ? null : Encoding.UTF8.GetString(request.Checkpoint);
        _calls.GetOrAdd(name, _ => new()).Enqueue((request.StartEpoch, received));
        if (request.StartEpoch > 0 && received != CheckpointText(run, request.StartEpoch))
        {
            throw new InvalidOperationException($"resumed at {request.StartEpoch} with checkpoint '{received}'");
        }

        var undefinedAuc = _undefinedAuc.ContainsKey(run.SweepId);
        for (var epoch = request.StartEpoch + 1; epoch <= request.Work.Budget.Epochs; epoch++)
        {
            if (_gates.TryGetValue(run.SweepId, out var gate) && epoch >= gate.BeforeEpoch)
            {
                gate.Wait(run, cancellationToken);
            }

            cancellationToken.ThrowIfCancellationRequested();
            _epochs.GetOrAdd(name, _ => new()).Enqueue(epoch);
            var accuracy = 0.5 + (0.4 * epoch / request.Work.Budget.Epochs);
            var metrics = new EpochReport(epoch, 1.0 / epoch, 1.1 / epoch, accuracy, undefinedAuc ? double.NaN : accuracy + 0.05, 0.01);
            observer.EpochCompleted(metrics, Encoding.UTF8.GetBytes(CheckpointText(run, epoch)));
            if (_failAfter.TryGetValue(name, out var failAt) && failAt == epoch)
            {
                throw new InvalidOperationException($"injected failure after epoch {epoch}");
            }
        }

        var artifacts = new Dictionary<string, byte[]>
        {
            ["activation.txt"] = Encoding.UTF8.GetBytes($"learned activation of {name}"),
            [request.Model.ActivationPlotFileName] = [0x89, 0x50, 0x4E, 0x47],
            [RunArtifactNames.Summary] = Encoding.UTF8.GetBytes(RunSummaryJson.Serialize(Summary(request, undefinedAuc ? double.NaN : 0.95, undefinedAuc ? double.NaN : 0.85))),
        };
        return new TrainingResult(new TestMetrics(0.8, undefinedAuc ? double.NaN : 0.85), artifacts);
    }

    /// <summary>Holds runs until opened; tells which runs are waiting at it.</summary>
    public sealed class Gate(int beforeEpoch, bool stopOnCancel)
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ConcurrentDictionary<string, bool> _waiting = new();
        private readonly ConcurrentDictionary<string, bool> _heardCancel = new();

        public int BeforeEpoch => beforeEpoch;

        public bool IsWaiting(RunKey run) => _waiting.ContainsKey(run.ToString());

        public int WaitingCount => _waiting.Count;

        /// <summary>Runs whose execution was cancelled while waiting here.</summary>
        public int HeardCancelCount => _heardCancel.Count;

        public void Open() => _open.TrySetResult();

        internal void Wait(RunKey run, CancellationToken cancellationToken)
        {
            _waiting[run.ToString()] = true;
            using var heard = cancellationToken.Register(() => _heardCancel[run.ToString()] = true);
            try
            {
                _open.Task.Wait(stopOnCancel ? cancellationToken : CancellationToken.None);
            }
            finally
            {
                _waiting.TryRemove(run.ToString(), out _);
            }
        }
    }
}
