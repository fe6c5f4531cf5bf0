using LearnedActivation.Model.Configuration;

namespace LearnedActivation.Model.Multitask;

/// <summary>
/// An arm trained on the held-out task; every arm of one seed shares the split, the outer initialisation and the
/// data order. <see cref="StudyArm.Fixed"/> and <see cref="StudyArm.Learned"/> (in-domain) have no source;
/// <see cref="StudyArm.Frozen"/> names where its frozen activation was learned: <see cref="Multitask"/> (the joint
/// run) or <c>on-{task}</c> (a single-task learned run on one training task: the single-task transfer).
/// </summary>
public sealed record HoldoutArm(StudyArm Arm, string? Source = null)
{
    /// <summary>The source of the frozen arm whose activation was learned on every training task together.</summary>
    public const string Multitask = "multitask";

    public static HoldoutArm Fixed { get; } = new(StudyArm.Fixed);

    public static HoldoutArm Learned { get; } = new(StudyArm.Learned);

    public static HoldoutArm FrozenMultitask { get; } = new(StudyArm.Frozen, Multitask);

    /// <summary>The frozen activation learned on <paramref name="task"/> alone.</summary>
    public static HoldoutArm FrozenFrom(string task) => new(StudyArm.Frozen, $"on-{task}");

    /// <summary>As tables show it: fixed, learned, frozen:multitask, frozen:on-covertype.</summary>
    public string Name => Source is null ? Names.Of(Arm) : $"{Names.Of(Arm)}:{Source}";
}
