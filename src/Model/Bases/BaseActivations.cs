using System.Collections.Frozen;
using LearnedActivation.Model.Configuration;

namespace LearnedActivation.Model.Bases;

/// <summary>
/// Every base activation the code knows, by name: the one place a new base is registered. Which bases a study runs
/// is not decided here (StudyPresets.Bases): registering a base makes it available, not part of the default study.
/// </summary>
public static class BaseActivations
{
    private static readonly FrozenDictionary<BaseActivation, BaseFunction> Registered = new BaseFunction[]
    {
        new BaseFunction<TanhBase>(),
        new BaseFunction<ReluBase>(),
        new BaseFunction<GeluBase>(),
        new BaseFunction<SiluBase>(),
    }.ToFrozenDictionary(b => b.Id);

    /// <summary>The definition of <paramref name="activation"/>; throws for a value with none.</summary>
    public static BaseFunction Of(BaseActivation activation) =>
        Registered.TryGetValue(activation, out var function)
            ? function
            : throw new ArgumentOutOfRangeException(nameof(activation), activation, "unknown base activation");
}
