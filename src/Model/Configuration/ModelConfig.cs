namespace LearnedActivation.Model.Configuration;

/// <summary>One configuration of the study: outer size x activation-network size x base activation.</summary>
/// <param name="Base">Non-linearity between the activation network's own layers.</param>
/// <param name="Outer">Preset of the outer (fully connected) network's hidden widths.</param>
/// <param name="Activation">Preset of the activation network's hidden widths.</param>
public sealed record ModelConfig(BaseActivation Base, SizePreset Outer, SizePreset Activation)
{
    /// <summary>The base a configuration takes when none is named (<c>learnact train</c>): the study's first.</summary>
    public const BaseActivation DefaultBase = BaseActivation.Tanh;

    /// <summary>The size of either network when none is named: the study's smallest.</summary>
    public const SizePreset DefaultSize = SizePreset.Small;

    /// <summary>"tanh_small_medium": the configuration's key in storage and in the sweep.</summary>
    public string Name => $"{Names.Of(Base)}_{Names.Of(Outer)}_{Names.Of(Activation)}";

    /// <summary>The file name the original study used for the learned function's graph.</summary>
    public string ActivationPlotFileName => $"tab_classification_covertype_{Name}.png";

    public IReadOnlyList<int> OuterHidden => StudyPresets.OuterHidden(Outer);

    public IReadOnlyList<int> ActivationHidden => StudyPresets.ActivationHidden(Activation);
}
