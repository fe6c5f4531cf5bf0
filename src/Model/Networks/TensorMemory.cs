using System.Runtime.InteropServices;
using TorchSharp;

namespace LearnedActivation.Model.Networks;

/// <summary>
/// A float32 CPU tensor's memory as a span, for the kernels and the optimiser that read and write it in place
/// (a copy through <c>data&lt;float&gt;()</c> or <c>tensor(float[])</c> costs more than the work on small tensors).
/// </summary>
internal static class TensorMemory
{
    /// <summary>The tensor's own memory; the caller makes sure it is contiguous float32 on the CPU.</summary>
    public static Span<float> Floats(torch.Tensor tensor) => MemoryMarshal.Cast<byte, float>(tensor.bytes);
}
