using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Networks;

/// <summary>
/// PyTorch's default <c>nn.Linear</c> initialisation (weight and bias uniform in +-1/sqrt(fan_in)), drawn from
/// an explicit generator. The global torch generator is shared by every run in the process, so seeding it
/// would make concurrent runs (several per silo) depend on each other's timing. <c>Tensor.uniform_</c> is used
/// rather than <c>nn.init.uniform_</c>, whose native side ignores the generator in TorchSharp 0.107.
/// </summary>
internal static class LinearInit
{
    public static void Reset(Linear layer, Generator generator)
    {
        var bound = 1.0 / Math.Sqrt(layer.in_features);
        using var noGrad = no_grad();
        layer.weight!.uniform_(-bound, bound, generator);
        if (layer.bias is not null)
        {
            layer.bias.uniform_(-bound, bound, generator);
        }
    }
}
