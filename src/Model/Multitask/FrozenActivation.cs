using LearnedActivation.Model.Checkpoints;
using LearnedActivation.Model.Networks;

namespace LearnedActivation.Model.Multitask;

/// <summary>
/// The holdout's <c>frozen</c> arm: a saved activation (a learned or multitask run's <c>activation.dat</c>) loaded
/// into a fresh network's activation and frozen, so training moves the outer network only. The minimum the
/// multitask holdout needs; issue 15.1's transfer arms (frozen, finetuned, random-frozen) are the general form, and
/// this piece is meant to be folded into them.
/// </summary>
public static class FrozenActivation
{
    /// <summary>Loads <paramref name="weightsFile"/> (TorchSharp format, strict: the sizes must match) and turns off every gradient of <paramref name="activation"/>.</summary>
    public static void LoadAndFreeze(ActivationNetwork activation, string weightsFile)
    {
        ArgumentNullException.ThrowIfNull(activation);
        ActivationWeights.Load(activation, weightsFile);
        foreach (var parameter in activation.parameters())
        {
            parameter.requires_grad = false;
        }
    }
}
