using System.IO.Compression;
using System.Text;
using System.Text.Json;
using LearnedActivation.Model.Checkpoints;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Networks;
using LearnedActivation.Model.Tests.Support;
using LearnedActivation.Model.Training;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Tests.Checkpoints;

public sealed class ActivationWeightsTests
{
    [Fact]
    public void WritesTorchSharpPyTorchAndSafetensorsCopiesThatLoadBack()
    {
        using var dir = new TempDirectory();
        using var network = new ActivationNetwork([32, 16, 8], BaseActivation.Gelu, new Generator(3, CPU));

        var files = ActivationWeights.Save(network, dir.File("tanh_small_small.activation.dat"));

        Assert.Equal(dir.File("tanh_small_small.activation.pt"), files.PyTorch);
        Assert.Equal(dir.File("tanh_small_small.activation.safetensors"), files.Safetensors);
        var expected = SyntheticTables.ParameterBytes(network);
        using var fromTorchSharp = new ActivationNetwork([32, 16, 8], BaseActivation.Gelu, new Generator(4, CPU));
        ActivationWeights.Load(fromTorchSharp, files.TorchSharp);
        using var fromPyTorch = new ActivationNetwork([32, 16, 8], BaseActivation.Gelu, new Generator(5, CPU));
        fromPyTorch.load_py(files.PyTorch);
        using var fromSafetensors = new ActivationNetwork([32, 16, 8], BaseActivation.Gelu, new Generator(6, CPU));
        fromSafetensors.load_safetensors(files.Safetensors);
        Assert.Equal(expected, SyntheticTables.ParameterBytes(fromTorchSharp));
        Assert.Equal(expected, SyntheticTables.ParameterBytes(fromPyTorch));
        Assert.Equal(expected, SyntheticTables.ParameterBytes(fromSafetensors));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    [Fact]
    public void ThePyTorchFileIsATorchSaveZipOfAStateDict()
    {
        using var dir = new TempDirectory();
        using var network = new ActivationNetwork([16, 8], BaseActivation.Tanh, new Generator(3, CPU));

        var files = ActivationWeights.Save(network, dir.File("act.dat"));

        // torch.load reads a zip with <name>/data.pkl (the pickled dict) and one <name>/data/<i> per storage.
        using var zip = ZipFile.OpenRead(files.PyTorch);
        var pickle = zip.Entries.Single(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal));
        using var reader = new StreamReader(pickle.Open(), Encoding.Latin1);
        var text = reader.ReadToEnd();
        Assert.Contains("torch._utils\n_rebuild_tensor_v2", text.Replace(' ', '\n'), StringComparison.Ordinal);
        foreach (var key in new[] { "layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.2.bias" })
        {
            Assert.Contains(key, text, StringComparison.Ordinal);
        }

        Assert.Equal(6, zip.Entries.Count(e => e.FullName.Contains("/data/", StringComparison.Ordinal)));
    }

    [Fact]
    public void TheSafetensorsHeaderNamesEveryTensorWithItsShape()
    {
        using var dir = new TempDirectory();
        using var network = new ActivationNetwork([16, 8], BaseActivation.Relu, new Generator(3, CPU));

        var files = ActivationWeights.Save(network, dir.File("act.dat"));

        var bytes = File.ReadAllBytes(files.Safetensors);
        var headerLength = (int)BitConverter.ToUInt64(bytes, 0);
        using var header = JsonDocument.Parse(bytes.AsMemory(8, headerLength));
        var shapes = header.RootElement.EnumerateObject()
            .Where(p => p.Name != "__metadata__")
            .ToDictionary(p => p.Name, p => $"{p.Value.GetProperty("dtype").GetString()}:{string.Join('x', p.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()))}");
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["layers.0.weight"] = "F32:16x1",
                ["layers.0.bias"] = "F32:16",
                ["layers.1.weight"] = "F32:8x16",
                ["layers.1.bias"] = "F32:8",
                ["layers.2.weight"] = "F32:1x8",
                ["layers.2.bias"] = "F32:1",
            },
            shapes);
    }

    [Fact]
    public void RefusesAPathThatWouldCollideWithTheCopies()
    {
        using var network = new ActivationNetwork([4], BaseActivation.Tanh);

        Assert.Throws<ArgumentException>(() => ActivationWeights.Save(network, "weights.pt"));
        Assert.Throws<ArgumentException>(() => ActivationWeights.Save(network, "weights.safetensors"));
    }

    [Fact]
    public void ASessionExportsTheBestWeightsOnlyAfterCompleting()
    {
        using var dir = new TempDirectory();
        using var session = TrainingSession.Create(SyntheticTables.Spec(epochs: 1), SyntheticTables.Splits());
        session.RunEpoch();

        Assert.Throws<InvalidOperationException>(() => session.SaveActivationWeights(dir.File("a.dat")));
        session.Complete();
        var files = session.SaveActivationWeights(dir.File("a.dat"));

        using var loaded = new ActivationNetwork(session.Spec.Model.ActivationHidden, BaseActivation.Tanh);
        ActivationWeights.Load(loaded, files.TorchSharp);
        Assert.Equal(SyntheticTables.ParameterBytes(session.Model.Activation), SyntheticTables.ParameterBytes(loaded));
    }
}
