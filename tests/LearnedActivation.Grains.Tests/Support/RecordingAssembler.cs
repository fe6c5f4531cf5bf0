using System.Collections.Concurrent;
using LearnedActivation.Grains.Storage;
using LearnedActivation.Grains.Sweeps;
using Microsoft.Extensions.Logging.Abstractions;

namespace LearnedActivation.Grains.Tests.Support;

/// <summary>The real report assembler, plus a record of every call per sweep that tests can await.</summary>
public sealed class RecordingAssembler(IBlobStore store) : ISweepArtifactAssembler
{
    private readonly ReportAssembler _inner = new(store, NullLogger<ReportAssembler>.Instance);
    private readonly ConcurrentDictionary<string, List<TaskCompletionSource<SweepAssemblyInput>>> _calls = new();

    public async Task<IReadOnlyList<string>> AssembleAsync(SweepAssemblyInput input, CancellationToken cancellationToken)
    {
        var keys = await _inner.AssembleAsync(input, cancellationToken);
        lock (_calls)
        {
            var list = Calls(input.Spec.Id);
            var pending = list.FirstOrDefault(c => !c.Task.IsCompleted);
            if (pending is null)
            {
                pending = new(TaskCreationOptions.RunContinuationsAsynchronously);
                list.Add(pending);
            }

            pending.SetResult(input);
        }

        return keys;
    }

    /// <summary>Completes with the input of the <paramref name="nth"/> (1-based) assembly of the sweep.</summary>
    public Task<SweepAssemblyInput> Assembled(string sweepId, int nth = 1)
    {
        lock (_calls)
        {
            var list = Calls(sweepId);
            while (list.Count < nth)
            {
                list.Add(new(TaskCreationOptions.RunContinuationsAsynchronously));
            }

            return list[nth - 1].Task;
        }
    }

    public int Count(string sweepId)
    {
        lock (_calls)
        {
            return Calls(sweepId).Count(c => c.Task.IsCompleted);
        }
    }

    private List<TaskCompletionSource<SweepAssemblyInput>> Calls(string sweepId) => _calls.GetOrAdd(sweepId, _ => []);
}
