namespace LearnedActivation.Model.Configuration;

/// <summary>
/// What a run compares (docs/training.md, "Arms"). Names as users type them: <c>learned</c>, <c>warm</c>,
/// <c>fixed</c>, <c>fixed-wide</c>, and the transfer arms <c>frozen</c>, <c>finetuned</c>, <c>random-frozen</c>
/// (<see cref="Names.Of{T}"/>; docs/transfer-results.md). A run of the same seed in every arm shares
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

    /// <summary>Transfer: the activation network of a source run, loaded and frozen (never updated); only the outer network learns.</summary>
    Frozen,

    /// <summary>Transfer: the activation network of a source run as the starting point, trained further with the outer network.</summary>
    Finetuned,

    /// <summary>Transfer control: a freshly initialised activation network (<see cref="Networks.ActivationInit"/>), never trained, frozen.</summary>
    RandomFrozen,
}

/// <summary>What each arm builds.</summary>
public static class StudyArms
{
    /// <summary>Learned and warm train an activation network; the fixed arms apply the plain base.</summary>
    public static bool HasActivationNetwork(this StudyArm arm) => arm is not (StudyArm.Fixed or StudyArm.FixedWide);

    /// <summary>The arms that start from a source run's learned activation: they exist only in a transfer sweep.</summary>
    public static bool NeedsSourceActivation(this StudyArm arm) => arm is StudyArm.Frozen or StudyArm.Finetuned;

    /// <summary>The arms whose activation network is never updated (its parameters are left out of the optimiser).</summary>
    public static bool FreezesActivation(this StudyArm arm) => arm is StudyArm.Frozen or StudyArm.RandomFrozen;

    /// <summary>The arms a transfer sweep trains, in the order its table shows them.</summary>
    public static IReadOnlyList<StudyArm> Transfer { get; } = [StudyArm.Fixed, StudyArm.Learned, StudyArm.Frozen, StudyArm.Finetuned, StudyArm.RandomFrozen];

    /// <summary>The arms of a sweep that names none, and of <c>learnact train</c> without <c>--arm</c>.</summary>
    public const StudyArm Default = StudyArm.Learned;
}
