namespace LearnedActivation.Grains.Contracts;

/// <summary>
/// Names of the artifacts a completed run hands to the sweep that other parts of the system read by name:
/// the training backend writes them, the coordinator's report reads them. Their place in the store is
/// <c>StoreLayout.RunArtifact</c>'s to say.
/// </summary>
public static class RunArtifactNames
{
    /// <summary>The run's <c>RunSummary</c> as JSON: what the coordinator's report is built from.</summary>
    public const string Summary = "summary.json";
}
