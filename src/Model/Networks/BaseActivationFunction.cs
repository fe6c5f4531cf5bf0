using LearnedActivation.Model.Bases;
using LearnedActivation.Model.Configuration;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Networks;

/// <summary>The tensor form of a base activation, as the modules apply it between their layers (defined in Bases/).</summary>
public static class BaseActivationFunction
{
    public static Tensor Apply(BaseActivation activation, Tensor input) => BaseActivations.Of(activation).Apply(input);
}
