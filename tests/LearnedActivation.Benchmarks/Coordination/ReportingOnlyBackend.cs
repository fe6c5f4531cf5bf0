using System.Text;
using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Execution;

namespace LearnedActivation.Benchmarks.Coordination;

/// <summary>
/// A training backend that trains nothing: each epoch it reports fixed metrics and a checkpoint of
/// <paramref name="checkpointBytes"/> bytes (stored by the executor like a real one), so that what a sweep
/// costs to coordinate is all that is measured. Its one artifact is a short text file.
/// </summary>
internal sealed class ReportingOnlyBackend(int checkpointBytes) : ITrainingBackend
{
    public TrainingResult Train(TrainingRequest request, ITrainingObserver observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(observer);
        var checkpoint = new byte[checkpointBytes];
        for (var epoch = request.StartEpoch + 1; epoch <= request.Work.Budget.Epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            checkpoint.AsSpan(0, sizeof(int)).Fill((byte)epoch);
            var accuracy = 0.5 + (0.4 * epoch / request.Work.Budget.Epochs);
            observer.EpochCompleted(new EpochReport(epoch, 1.0 / epoch, 1.1 / epoch, accuracy, accuracy + 0.05, 0.001), checkpoint);
        }

        var artifacts = new Dictionary<string, byte[]> { ["benchmark.txt"] = Encoding.UTF8.GetBytes($"no training for {request.Work.Key}") };
        return new TrainingResult(new TestMetrics(0.8, 0.85), artifacts);
    }
}
