using System.Buffers;
using System.Runtime.InteropServices;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Evaluation;
using LearnedActivation.Model.Networks;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Evaluation.Fused;

/// <summary>
/// Computes the activation network with <see cref="FusedActivationKernel"/>: the same function as exact, all
/// layers in one vectorised pass per block of scalars. On AVX-512 CPUs forward keeps hidden layers for backward in
/// a pooled array (FusedBlockKernel512.FirstSavedLayer): bases other than relu the last ones as far as they fit in 2 MB (on
/// a [512, 96] input the last layer of the small and large tanh networks, nothing for medium tanh or any gelu);
/// backward recomputes the others. Relu on calls of 4,096 scalars or more keeps the scalars' grouping by segment
/// instead (<see cref="ReluSegmentedKernel"/>, 0.4 MB on that input); on smaller calls all hidden layers but the first. Without gradients (no_grad,
/// or nothing requires them) it runs the kernel forward only. Gradients reach the input and every weight and bias
/// through a custom autograd function.
/// Falls back to exact for inputs it does not handle (not float32, or a network without hidden layers).
/// </summary>
public sealed class FusedActivationEvaluator : IActivationEvaluator
{
    public static FusedActivationEvaluator Instance { get; } = new();

    public string Name => "fused";

    public Tensor Evaluate(ActivationNetwork network, Tensor column)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(column);
        if (column.dtype != ScalarType.Float32 || network.Layers.Count < 2)
        {
            return ExactActivationEvaluator.Instance.Evaluate(network, column);
        }

        if (!is_grad_enabled() || !(column.requires_grad || network.Layers.Any(l => l.weight!.requires_grad || l.bias!.requires_grad)))
        {
            // Nothing will call backward: no autograd node, and no state kept for it.
            var input = column.contiguous();
            var kernel = FusedActivationKernel.FromTensors(network.Base, [.. network.Layers.SelectMany(l => new[] { l.weight!, l.bias! })]);
            var values = empty_like(input);
            kernel.Forward(FusedActivationFunction.Floats(input), FusedActivationFunction.Floats(values), get_num_threads());
            return values;
        }

        var arguments = new List<object> { column.contiguous(), network.Base };
        foreach (var layer in network.Layers)
        {
            arguments.Add(layer.weight!);
            arguments.Add(layer.bias!);
        }

        return FusedActivationFunction.apply([.. arguments]);
    }
}

/// <summary>
/// The autograd side of the fused kernel: <c>apply(x, base, W0, b0, W1, b1, ...)</c>. The weights are passed as
/// tensors so that autograd routes their gradients; their values are copied once per forward. Forward keeps the
/// kernel's saved state (FusedActivationKernel.SavedFloats: kept hidden layers, or the segmented relu's grouping) in
/// a pooled array that backward returns.
/// </summary>
internal sealed class FusedActivationFunction : autograd.SingleTensorFunction<FusedActivationFunction>
{
    private const string KernelKey = "kernel";
    private const string SavedKey = "saved";

    public override string Name => nameof(FusedActivationFunction);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(vars);
        var x = (Tensor)vars[0];
        var kernel = FusedActivationKernel.FromTensors((BaseActivation)vars[1], vars.Skip(2).Cast<Tensor>().ToArray());
        ctx.save_for_backward([x]);
        ctx.save_data(KernelKey, kernel);

        var output = empty_like(x);
        var count = (int)x.numel();
        var savedFloats = kernel.SavedFloats(count);
        var saved = savedFloats > 0 ? ArrayPool<float>.Shared.Rent(savedFloats) : null;
        ctx.save_data(SavedKey, saved!);
        kernel.Forward(Floats(x), Floats(output), get_num_threads(), saved.AsSpan(0, savedFloats));
        return output;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(grad_output);
        var x = ctx.get_saved_variables()[0];
        var kernel = (FusedActivationKernel)ctx.get_data(KernelKey);
        var saved = (float[]?)ctx.get_data(SavedKey);

        var upstream = grad_output.contiguous();
        var gradX = empty_like(x);
        // Null after a first backward (retain_graph): an empty span, so that the kernel recomputes (AsSpan(0, n) on
        // null would throw, and an exception here takes down the process from inside libtorch's autograd).
        var state = saved is null ? default : saved.AsSpan(0, kernel.SavedFloats((int)x.numel()));
        var (weightGrads, biasGrads) = kernel.Backward(Floats(x), Floats(upstream), Floats(gradX), get_num_threads(), state);
        if (saved is not null)
        {
            // A second backward (retain_graph) would find the state gone: recompute instead of reusing a returned array.
            ctx.save_data(SavedKey, null!);
            ArrayPool<float>.Shared.Return(saved);
        }

        var grads = new List<Tensor> { gradX, null! };
        for (var l = 0; l < weightGrads.Length; l++)
        {
            grads.Add(tensor(weightGrads[l]).reshape(biasGrads[l].Length, -1));
            grads.Add(tensor(biasGrads[l]));
        }

        return grads;
    }

    internal static Span<float> Floats(Tensor tensor) => MemoryMarshal.Cast<byte, float>(tensor.contiguous().bytes);
}
