using LearnedActivation.Grains.Contracts;

namespace LearnedActivation.Grains.Execution;

/// <summary>Stands in until a host registers a real <see cref="ITrainingBackend"/>: runs fail with a message that says so.</summary>
public sealed class UnavailableTrainingBackend : ITrainingBackend
{
    public TrainingResult Train(TrainingRequest request, ITrainingObserver observer, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("this silo has no training backend registered (register an ITrainingBackend)");
}
