using LearnedActivation.Grains.Sweeps;

namespace LearnedActivation.Benchmarks.Coordination;

/// <summary>
/// Stands in for the report (whose plotting is not coordination): checks that the assembler is handed
/// every run's whole curve, read from the runs' records, and writes nothing.
/// </summary>
internal sealed class CurveCheckingAssembler : ISweepArtifactAssembler
{
    private readonly TaskCompletionSource<(int Runs, int WithWholeCurve)> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Runs handed over, and how many of them with a curve of every epoch of the budget.</summary>
    public Task<(int Runs, int WithWholeCurve)> Assembled => _done.Task;

    public Task<IReadOnlyList<string>> AssembleAsync(SweepAssemblyInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var epochs = input.Spec.Budget.Epochs;
        var whole = input.Runs.Count(r => r.Curve.Select(e => e.Epoch).SequenceEqual(Enumerable.Range(1, epochs)));
        _done.TrySetResult((input.Runs.Count, whole));
        return Task.FromResult<IReadOnlyList<string>>([]);
    }
}
