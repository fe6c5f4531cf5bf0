using LearnedActivation.Model.Configuration;

namespace LearnedActivation.Model.Multitask;

/// <summary>The arms trained on the held-out task; every arm of one seed shares the split, the outer initialisation and the data order.</summary>
public enum HoldoutArm
{
    /// <summary>The plain base activation (<see cref="StudyArm.Fixed"/>).</summary>
    Fixed,

    /// <summary>An activation network learned from scratch on the holdout itself (<see cref="StudyArm.Learned"/>): the in-domain reference.</summary>
    Learned,

    /// <summary>The multitask run's shared activation, frozen (<see cref="FrozenActivation"/>); only the outer network trains.</summary>
    Frozen,
}

public static class HoldoutArms
{
    /// <summary>The name in <c>multitask.csv</c>: fixed, learned, frozen.</summary>
    public static string Name(this HoldoutArm arm) => arm switch
    {
        HoldoutArm.Fixed => "fixed",
        HoldoutArm.Learned => "learned",
        _ => "frozen",
    };

    /// <summary>The single-task configuration the arm trains: the frozen arm builds a learned-arm network, then loads and freezes its activation.</summary>
    public static ModelConfig Config(this HoldoutArm arm, ModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config with { Arm = arm == HoldoutArm.Fixed ? StudyArm.Fixed : StudyArm.Learned };
    }
}
