using LearnedActivation.Grains.Contracts;
using LearnedActivation.Model.Checkpoints;

namespace LearnedActivation.Grains.Training;

/// <summary>Where a transfer run loads its source activation's weights from (the arms <c>frozen</c> and <c>finetuned</c>).</summary>
public interface IActivationSources
{
    /// <exception cref="InvalidOperationException">The source's weights are not there; the message is one line naming the run.</exception>
    Task<SourceActivationWeights> LoadAsync(ActivationSource source, CancellationToken cancellationToken);
}
