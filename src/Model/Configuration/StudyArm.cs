namespace LearnedActivation.Model.Configuration;

/// <summary>
/// What a run compares: the activation network learned from scratch, the same warm-started towards its base, the
/// plain base activation in the same outer network, or the plain base in an outer network widened to the learned
/// network's parameter count.
/// </summary>
public enum StudyArm
{
    Learned,
    Warm,
    Fixed,
    FixedWide,
}
