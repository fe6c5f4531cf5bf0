using static TorchSharp.torch;

namespace LearnedActivation.Model.Checkpoints;

/// <summary>A module's weights as bytes (TorchSharp's own <c>Module.save</c> format), for checkpoints and the best epoch's copy.</summary>
internal static class ModuleState
{
    public static byte[] Save(nn.Module module)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            module.save(writer);
        }

        return buffer.ToArray();
    }

    /// <summary>Loads weights written by <see cref="Save"/>; strict, so a network of another shape throws.</summary>
    public static void Load(nn.Module module, byte[] state)
    {
        using var reader = new BinaryReader(new MemoryStream(state, writable: false));
        module.load(reader, strict: true);
    }
}
