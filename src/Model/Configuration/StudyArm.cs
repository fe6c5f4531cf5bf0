namespace LearnedActivation.Model.Configuration;

/// <summary>
/// What a run compares (docs/training.md, "Arms"). Names as users type them: <c>learned</c>, <c>warm</c>,
/// <c>fixed</c>, <c>fixed-wide</c> (<see cref="Names.Of{T}"/>). A run of the same seed in every arm shares
/// the split, the outer network's initial weights and the data order.
/// </summary>
public enum StudyArm
{
    /// <summary>The activation network learned from scratch: initialised to imitate no base function.</summary>
    Learned,

    /// <summary>The activation network fitted to its base function first (<c>ActivationWarmStart</c>), then learned.</summary>
    Warm,

    /// <summary>The same outer network with the plain base activation and no activation network.</summary>
    Fixed,

    /// <summary>The plain base with every outer hidden layer widened by one factor to at least the learned network's parameters (<see cref="FixedWideRule"/>).</summary>
    FixedWide,
}

/// <summary>What each arm builds.</summary>
public static class StudyArms
{
    /// <summary>Learned and warm train an activation network; the fixed arms apply the plain base.</summary>
    public static bool HasActivationNetwork(this StudyArm arm) => arm is StudyArm.Learned or StudyArm.Warm;

    /// <summary>The arms of a sweep that names none, and of <c>learnact train</c> without <c>--arm</c>.</summary>
    public const StudyArm Default = StudyArm.Learned;
}
