using LearnedActivation.Model.Analysis;
using LearnedActivation.Model.Checkpoints;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Networks;
using static TorchSharp.torch;

namespace LearnedActivation.Model.Tests.Analysis;

/// <summary>Saved activations read back: widths from the file itself where the format allows, the base from the caller.</summary>
public sealed class SavedActivationTests : IDisposable
{
    private static readonly double[] Probe = [-2.5, -0.3, 0, 1.7];

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(".pt")]
    [InlineData(".safetensors")]
    public void APyTorchCopyGivesItsWidthsAndTheSameFunction(string extension)
    {
        using var original = new ActivationNetwork([32, 16, 8], BaseActivation.Gelu, new Generator(4, CPU));
        var files = ActivationWeights.Save(original, _directory.File("activation.dat"));

        using var saved = SavedActivation.Load(extension == ".pt" ? files.PyTorch : files.Safetensors, BaseActivation.Gelu);

        Assert.Equal([32, 16, 8, 1], saved.Network.Layers.Select(l => (int)l.weight!.shape[0]));
        Assert.Equal(ActivationAnalyser.Evaluate(original, Probe), ActivationAnalyser.Evaluate(saved.Network, Probe));
        Assert.Null(saved.Pooled);
    }

    [Fact]
    public void WithoutItsMetricsAFileNeedsABaseAndADatFileCannotBeRead()
    {
        using var original = new ActivationNetwork([16, 8], BaseActivation.Tanh, new Generator(4, CPU));
        var files = ActivationWeights.Save(original, _directory.File("activation.dat"));

        Assert.Contains("--base", Assert.Throws<InvalidDataException>(() => SavedActivation.Load(files.Safetensors)).Message, StringComparison.Ordinal);
        Assert.Contains(".safetensors copy", Assert.Throws<InvalidDataException>(() => SavedActivation.Load(files.TorchSharp, BaseActivation.Tanh)).Message, StringComparison.Ordinal);
        var empty = Directory.CreateDirectory(_directory.File("empty")).FullName;
        Assert.Contains("not a run folder", Assert.Throws<InvalidDataException>(() => SavedActivation.Load(empty)).Message, StringComparison.Ordinal);
        File.WriteAllText(_directory.File("junk.safetensors"), "not a state dict");
        Assert.Throws<InvalidDataException>(() => SavedActivation.Load(_directory.File("junk.safetensors"), BaseActivation.Tanh));
    }
}
