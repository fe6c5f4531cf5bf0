namespace LearnedActivation.Model.Tests;

public class TorchLoadsTests
{
    [Fact]
    public void TorchSharpNativeLibraryLoadsAndComputes()
    {
        using var ones = TorchSharp.torch.ones(3, 4);
        Assert.Equal(12f, ones.sum().item<float>());
    }
}
