namespace LearnedActivation.Model.Configuration;

/// <summary>
/// The hidden-layer widths of the study (README's table): one table, so no other code spells out layer sizes.
/// </summary>
public static class StudyPresets
{
    /// <summary>
    /// The bases of the default study, in this order. Written out rather than taken from the enum: registering a
    /// new base (Bases/) makes it available to runs and specs without changing the study.
    /// </summary>
    public static IReadOnlyList<BaseActivation> Bases { get; } = [BaseActivation.Tanh, BaseActivation.Relu, BaseActivation.Gelu];

    public static IReadOnlyList<int> OuterHidden(SizePreset size) => size switch
    {
        SizePreset.Small => [48, 24],
        SizePreset.Medium => [48, 24, 16],
        SizePreset.Large => [96, 48, 32],
        _ => throw new ArgumentOutOfRangeException(nameof(size), size, "unknown size"),
    };

    public static IReadOnlyList<int> ActivationHidden(SizePreset size) => size switch
    {
        SizePreset.Small => [16, 8],
        SizePreset.Medium => [32, 16],
        SizePreset.Large => [32, 16, 8],
        _ => throw new ArgumentOutOfRangeException(nameof(size), size, "unknown size"),
    };
}
