namespace LearnedActivation.Model.Configuration;

/// <summary>The plain non-linearity used between the layers of the activation network.</summary>
public enum BaseActivation
{
    Tanh,
    Relu,
    Gelu,
}
