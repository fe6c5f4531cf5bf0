namespace LearnedActivation.Client.Tests.Support;

/// <summary>
/// Tests that run <c>learnact sweep</c> as a process. They run one at a time and apart from the rest of this
/// assembly: each sweep hosts a silo and trains on every core, and the crash tests wait on a run's progress,
/// which a second training process on the same two cores would only slow down.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SweepProcessGroup
{
    public const string Name = "learnact sweep processes";
}
