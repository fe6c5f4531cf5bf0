using System.Text;
using LearnedActivation.Grains.Storage;
using LearnedActivation.Tests.Services;

namespace LearnedActivation.Grains.Tests.Storage;

/// <summary>The one place storage options become a store, for the silo host and the CLI alike.</summary>
public sealed class BlobStoreFactoryTests : IDisposable
{
    /// <summary>An Azurite's address: opening a store contacts no server, so none needs to run.</summary>
    private static readonly string AzuriteConnection = AzuriteServer.DevelopmentConnectionString(10000);

    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task FileSystemOptionsOpenAStoreWhoseBlobsAreFilesUnderTheRoot()
    {
        var store = BlobStoreFactory.Create(new BlobStoreOptions { Provider = BlobStoreProvider.FileSystem, Root = _root.Path });

        await store.PutAsync("s/artifacts/table.csv", Encoding.UTF8.GetBytes("a,b"));

        Assert.Equal(_root.Path, Assert.IsType<FileSystemBlobStore>(store).Root);
        Assert.Equal("a,b", await File.ReadAllTextAsync(Path.Combine(_root.Path, "s", "artifacts", "table.csv")));
        Assert.Equal("a,b", Encoding.UTF8.GetString((await store.GetAsync("s/artifacts/table.csv"))!));
    }

    [Fact]
    public async Task OpeningAFileSystemStoreThatDoesNotExistWritesNothing()
    {
        var root = _root.File("not-yet");

        var store = BlobStoreFactory.Create(new BlobStoreOptions { Root = root });

        Assert.Empty(await store.ListAsync(""));
        Assert.False(await store.ExistsAsync("s/state/sweep.json"));
        Assert.False(Directory.Exists(root), "a reader that only opens a store must leave no trace of it");
    }

    [Fact]
    public void AzureBlobOptionsOpenAStoreOnTheNamedContainer()
    {
        var store = BlobStoreFactory.Create(new BlobStoreOptions { Provider = BlobStoreProvider.AzureBlob, ConnectionString = AzuriteConnection, Container = "my-sweeps" });

        var azure = Assert.IsType<AzureBlobStore>(store);
        Assert.Equal("http://127.0.0.1:10000/devstoreaccount1/my-sweeps", azure.ContainerUri.ToString());
        Assert.Null(azure.UnreachableSince);
    }

    [Fact]
    public void AServiceUriWithoutAConnectionStringOpensTheContainerAsTheProcesssAzureIdentity()
    {
        // DefaultAzureCredential looks for an identity on the first request, not when the store is opened.
        var store = BlobStoreFactory.Create(new BlobStoreOptions { Provider = BlobStoreProvider.AzureBlob, ServiceUri = "https://account.blob.core.windows.net", Container = "my-sweeps" });

        Assert.Equal("https://account.blob.core.windows.net/my-sweeps", Assert.IsType<AzureBlobStore>(store).ContainerUri.ToString());
    }

    public static TheoryData<string, BlobStoreOptions> BadOptions() => new()
    {
        { "ServiceUri", new BlobStoreOptions { Provider = BlobStoreProvider.AzureBlob, ServiceUri = "http://account.blob.core.windows.net" } },
        { "Root", new BlobStoreOptions { Root = "" } },
        { "ConnectionString", new BlobStoreOptions { Provider = BlobStoreProvider.AzureBlob } },
        { "ConnectionString", new BlobStoreOptions { Provider = BlobStoreProvider.AzureBlob, ConnectionString = "not a connection string" } },
        { "Container", new BlobStoreOptions { Provider = BlobStoreProvider.AzureBlob, ConnectionString = AzuriteConnection, Container = "Not_A_Container" } },
        { "OutageTolerance", new BlobStoreOptions { Provider = BlobStoreProvider.AzureBlob, ConnectionString = AzuriteConnection, OutageTolerance = TimeSpan.Zero } },
        { "Provider", new BlobStoreOptions { Provider = (BlobStoreProvider)42 } },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void BadOptionsAreOneLineNamingTheOption(string option, BlobStoreOptions options)
    {
        var error = Assert.Throws<BlobStoreOptionsException>(() => BlobStoreFactory.Create(options));

        Assert.Equal(option, error.Option);
        Assert.StartsWith($"Storage:{option}: ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith(error.Problem, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.False(string.IsNullOrWhiteSpace(error.Problem));
    }

    [Fact]
    public void AnUnknownProviderNamesTheKnownOnes()
    {
        var error = Assert.Throws<BlobStoreOptionsException>(() => BlobStoreFactory.Create(new BlobStoreOptions { Provider = (BlobStoreProvider)42 }));

        Assert.Contains("FileSystem|AzureBlob", error.Problem, StringComparison.Ordinal);
    }
}
