using LearnedActivation.Model.IO;
using LearnedActivation.Model.Networks;
using TorchSharp.PyBridge;

namespace LearnedActivation.Model.Checkpoints;

/// <summary>Where <see cref="ActivationWeights.Save"/> put the three copies of the activation network's weights.</summary>
/// <param name="TorchSharp">TorchSharp's format (<c>Module.save</c>); load with <c>Module.load</c>.</param>
/// <param name="PyTorch">A PyTorch state dict (<c>torch.load</c>, weights_only works) with the same keys.</param>
/// <param name="Safetensors">The same state dict as safetensors.</param>
public sealed record ActivationWeightFiles(string TorchSharp, string PyTorch, string Safetensors);

/// <summary>
/// Exports the learned activation's weights. Keys are <c>layers.{i}.weight|bias</c>, which a PyTorch module with
/// <c>self.layers = nn.ModuleList([nn.Linear(1, h1), ..., nn.Linear(hk, 1)])</c> loads with <c>load_state_dict</c>.
/// </summary>
public static class ActivationWeights
{
    /// <summary>
    /// Writes <paramref name="path"/> (TorchSharp format) and, beside it, the same name with <c>.pt</c> and
    /// <c>.safetensors</c>. Each file is written to a temporary name first and then renamed, so a crash never
    /// leaves a half-written file under the final name.
    /// </summary>
    public static ActivationWeightFiles Save(ActivationNetwork network, string path)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var extension = Path.GetExtension(path);
        if (extension.Equals(".pt", StringComparison.OrdinalIgnoreCase) || extension.Equals(".safetensors", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"'{path}' is the TorchSharp file's path and must not end in {extension}: the PyTorch copies are written beside it", nameof(path));
        }

        var files = new ActivationWeightFiles(path, Path.ChangeExtension(path, ".pt"), Path.ChangeExtension(path, ".safetensors"));
        WriteAtomically(files.TorchSharp, stream => network.save(stream));
        WriteAtomically(files.PyTorch, stream => network.save_py(stream, leaveOpen: true));
        WriteAtomically(files.Safetensors, stream => network.save_safetensors(stream, leaveOpen: true));
        return files;
    }

    /// <summary>Loads TorchSharp-format weights written by <see cref="Save"/> into <paramref name="network"/>.</summary>
    public static void Load(ActivationNetwork network, string path)
    {
        ArgumentNullException.ThrowIfNull(network);
        network.load(path, strict: true);
    }

    private static void WriteAtomically(string path, Action<Stream> write) => AtomicFile.Write(path, temporary =>
    {
        using var stream = File.Create(temporary);
        write(stream);
    });
}
