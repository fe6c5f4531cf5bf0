namespace LearnedActivation.Model.Configuration;

/// <summary>One configuration of the study: outer size x activation-network size x base activation, in one arm.</summary>
/// <param name="Base">Non-linearity between the activation network's own layers (the fixed arms: the outer network's activation).</param>
/// <param name="Outer">Preset of the outer (fully connected) network's hidden widths.</param>
/// <param name="Activation">Preset of the activation network's hidden widths. The fixed arms have no activation network:
/// for them it is always <see cref="DefaultSize"/>, whatever is passed, so that one fixed run stands for every activation size.</param>
/// <param name="Arm">What the run compares (<see cref="StudyArm"/>).</param>
public sealed record ModelConfig(BaseActivation Base, SizePreset Outer, SizePreset Activation, StudyArm Arm = StudyArms.Default)
{
    /// <summary>The base a configuration takes when none is named (<c>learnact train</c>): the study's first.</summary>
    public const BaseActivation DefaultBase = BaseActivation.Tanh;

    /// <summary>The size of either network when none is named: the study's smallest.</summary>
    public const SizePreset DefaultSize = SizePreset.Small;

    public SizePreset Activation { get; init; } = Arm.HasActivationNetwork() ? Activation : DefaultSize;

    /// <summary>
    /// The configuration's key in storage and in the sweep: "tanh_small_medium" for the learned arm (the
    /// original study's names), "tanh_small_medium_warm" for the warm start, "tanh_small_fixed" and
    /// "tanh_small_fixed-wide" for the baselines, which have no activation size.
    /// </summary>
    public string Name => Arm switch
    {
        StudyArm.Learned => $"{Names.Of(Base)}_{Names.Of(Outer)}_{Names.Of(Activation)}",
        StudyArm.Fixed or StudyArm.FixedWide => $"{Names.Of(Base)}_{Names.Of(Outer)}_{Names.Of(Arm)}",
        _ => $"{Names.Of(Base)}_{Names.Of(Outer)}_{Names.Of(Activation)}_{Names.Of(Arm)}",
    };

    /// <summary>Whether the run trains an activation network (learned, warm) or applies the plain base (fixed arms).</summary>
    public bool HasActivationNetwork => Arm.HasActivationNetwork();

    /// <summary>The file name the original study used for the learned function's graph (arms with an activation network).</summary>
    public string ActivationPlotFileName => $"tab_classification_covertype_{Name}.png";

    /// <summary>The outer size's preset widths; the network a fixed-wide run builds is <see cref="OuterHiddenFor"/>.</summary>
    public IReadOnlyList<int> OuterHidden => StudyPresets.OuterHidden(Outer);

    /// <summary>The activation network's hidden widths; empty for the fixed arms, which have none.</summary>
    public IReadOnlyList<int> ActivationHidden => HasActivationNetwork ? StudyPresets.ActivationHidden(Activation) : [];

    /// <summary>The outer hidden widths the run's network has, for <paramref name="inputWidth"/> features (fixed-wide widens them).</summary>
    public IReadOnlyList<int> OuterHiddenFor(int inputWidth) =>
        Arm == StudyArm.FixedWide ? FixedWideRule.For(Outer, inputWidth).Widths : OuterHidden;

    /// <summary>Parameters of the outer network and of the activation network this configuration trains on <paramref name="inputWidth"/> features.</summary>
    public ParameterCounts ParametersFor(int inputWidth) =>
        new(ParameterCounts.OfOuter(inputWidth, OuterHiddenFor(inputWidth)), HasActivationNetwork ? ParameterCounts.OfActivation(ActivationHidden) : 0);
}
