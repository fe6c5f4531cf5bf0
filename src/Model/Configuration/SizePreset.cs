namespace LearnedActivation.Model.Configuration;

/// <summary>The three sizes of the study, used for both the outer network and the activation network.</summary>
public enum SizePreset
{
    Small,
    Medium,
    Large,
}
