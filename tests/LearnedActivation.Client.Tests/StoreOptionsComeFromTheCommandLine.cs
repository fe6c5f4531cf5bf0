using LearnedActivation.Client.Cli;
using LearnedActivation.Client.Commands;
using LearnedActivation.Client.Tests.Support;
using LearnedActivation.Grains.Storage;
using LearnedActivation.Tests.Services;

namespace LearnedActivation.Client.Tests;

/// <summary>
/// The CLI opens its store with the silos' factory: --store names a file-system root, --cluster with --blob
/// and --container an Azure Blob container; a bad setting is one line naming the option the user typed.
/// </summary>
public sealed class StoreOptionsComeFromTheCommandLine
{
    /// <summary>An Azurite's address: opening a store contacts no server, so none needs to run.</summary>
    private static readonly string Azurite = AzuriteServer.DevelopmentConnectionString(10000);

    [Fact]
    public void StoreNamesAFileSystemRoot()
    {
        using var root = new TempDirectory();
        var settings = new StoreSettings { Store = root.Path };

        var options = settings.StoreOptions("test");

        Assert.Equal(BlobStoreProvider.FileSystem, options.Provider);
        Assert.Equal(root.Path, options.Root);
        Assert.Equal(root.Path, Assert.IsType<FileSystemBlobStore>(settings.OpenStore("test")).Root);
    }

    [Fact]
    public void ClusterBlobAndContainerNameTheClustersContainer()
    {
        var settings = new StoreSettings { Cluster = "127.0.0.1:6390", Blob = Azurite, Container = "sweeps" };

        var options = settings.StoreOptions("test");

        Assert.Equal(BlobStoreProvider.AzureBlob, options.Provider);
        Assert.Equal(Azurite, options.ConnectionString);
        Assert.Equal("sweeps", options.Container);
        Assert.Equal(StoreSettings.BlobOutageTolerance, options.OutageTolerance);
        Assert.EndsWith("/devstoreaccount1/sweeps", Assert.IsType<AzureBlobStore>(settings.OpenStore("test")).ContainerUri.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--blob", "not a connection string", "learnact", "--blob: not an Azure Storage connection string")]
    [InlineData("--container", null, "Not_A_Container", "--container: must be 3-63 lowercase letters")]
    public void ABadSettingIsAUsageErrorNamingTheOption(string option, string? blob, string container, string expected)
    {
        var settings = new StoreSettings { Cluster = "127.0.0.1:6390", Blob = blob ?? Azurite, Container = container };

        var error = Assert.Throws<UsageException>(() => settings.OpenStore("test"));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith(option + ": ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task ResultsFromAClusterWithABadBlobConnectionExitWithCodeTwoBeforeAnyNetwork()
    {
        var line = ErrorOutput.AssertBadInput(await InProcessCli.RunAsync("results", "study", "--cluster", "127.0.0.1:1", "--blob", "not a connection string"));

        Assert.StartsWith("error: --blob: not an Azure Storage connection string", line, StringComparison.Ordinal);
    }
}
