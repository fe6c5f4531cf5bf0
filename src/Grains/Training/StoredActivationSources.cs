using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Storage;
using LearnedActivation.Model.Checkpoints;
using LearnedActivation.Model.Outputs;

namespace LearnedActivation.Grains.Training;

/// <summary>
/// Source activations from the blob store: the saved <c>activation.dat</c> among the source run's artifacts
/// (<see cref="StoreLayout.RunArtifact"/>). Any run of any sweep in the store can be a source, whatever trained it.
/// </summary>
public sealed class StoredActivationSources(IBlobStore store) : IActivationSources
{
    public async Task<SourceActivationWeights> LoadAsync(ActivationSource source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var key = StoreLayout.RunArtifact(source.Run, RunOutputWriter.ActivationWeightsFile);
        var bytes = await store.GetAsync(key, cancellationToken);
        return bytes is { Length: > 0 }
            ? new SourceActivationWeights(bytes)
            : throw new InvalidOperationException($"the source activation of run '{source.RunName}' of sweep '{source.SweepId}' is not in the store ({key})");
    }
}
