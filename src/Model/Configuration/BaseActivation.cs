namespace LearnedActivation.Model.Configuration;

/// <summary>
/// The plain non-linearity used between the layers of the activation network, by name: what specs, checkpoints and
/// the command line store. Each has its definition in Bases/ (BaseActivations.Of); which ones the study runs is
/// StudyPresets.Bases.
/// </summary>
public enum BaseActivation
{
    Tanh,
    Relu,
    Gelu,
    Silu,
}
