using System.Text;
using Azure.Storage.Blobs;
using LearnedActivation.Grains.Storage;
using LearnedActivation.Tests.Services;

namespace LearnedActivation.Grains.Tests.Storage;

/// <summary>One Azurite process for the Azure blob-store tests (each test class instance gets a container of its own).</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteServer? _server;

    public AzuriteServer Server => _server ?? throw new InvalidOperationException("Azurite has not started");

    public async Task InitializeAsync() => _server = await AzuriteServer.StartNewAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class AzuriteGroup : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "azurite";
}

/// <summary>The blob-store contract on Azure Blob Storage, against a real Azurite process.</summary>
[Collection(AzuriteGroup.Name)]
public sealed class AzureBlobStoreTests(AzuriteFixture azurite) : BlobStoreContract
{
    private readonly string _container = "t" + Guid.NewGuid().ToString("N")[..20];
    private AzureBlobStore? _store;

    protected override IBlobStore Store => _store ??= new AzureBlobStore(new BlobStoreOptions
    {
        Provider = BlobStoreProvider.AzureBlob,
        ConnectionString = azurite.Server.ConnectionString,
        Container = _container,
    });

    private BlobContainerClient Raw => new BlobServiceClient(azurite.Server.ConnectionString).GetBlobContainerClient(_container);

    protected override async Task TamperContentAsync(string key, byte[] content)
    {
        var blob = Raw.GetBlobClient(key);
        var metadata = (await blob.GetPropertiesAsync()).Value.Metadata;
        await blob.UploadAsync(BinaryData.FromBytes(content), new Azure.Storage.Blobs.Models.BlobUploadOptions { Metadata = metadata });
    }

    protected override Task RemoveChecksumAsync(string key) => Raw.GetBlobClient(key).SetMetadataAsync(new Dictionary<string, string>());

    [Fact]
    public async Task TheChecksumIsStoredInTheBlobsMetadata()
    {
        await Store.PutAsync("s/x", Encoding.UTF8.GetBytes("abc"));

        var metadata = (await Raw.GetBlobClient("s/x").GetPropertiesAsync()).Value.Metadata;
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", metadata[AzureBlobStore.ChecksumMetadataKey]);
    }
}

/// <summary>
/// The storage-fault promise: while Azurite is down, writes wait and retry with backoff instead of failing,
/// the store says it is unreachable, and when Azurite is back the writes land and nothing stored before is lost.
/// Its own Azurite, since it stops it.
/// </summary>
public sealed class AzureBlobStoreOutageTests : IAsyncLifetime
{
    private AzuriteServer? _azurite;

    public async Task InitializeAsync() => _azurite = await AzuriteServer.StartNewAsync();

    public async Task DisposeAsync() => await _azurite!.DisposeAsync();

    [Fact]
    public async Task WritesDuringAnOutageWaitAndLandWhenTheServiceReturns()
    {
        var store = new AzureBlobStore(new BlobStoreOptions { Provider = BlobStoreProvider.AzureBlob, ConnectionString = _azurite!.ConnectionString, Container = "outage" });
        await store.PutAsync("s/before", Encoding.UTF8.GetBytes("kept"));

        await _azurite.StopAsync();
        var during = store.PutAsync("s/during", Encoding.UTF8.GetBytes("written while down"));
        await WaitForAsync(() => store.UnreachableSince is not null, "the store to notice the outage");
        Assert.False(during.IsCompleted, "a write during an outage must wait, not fail or pretend to succeed");

        await _azurite.StartAsync();
        await during.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Null(store.UnreachableSince);
        Assert.Equal("kept", Encoding.UTF8.GetString((await store.GetAsync("s/before"))!));
        Assert.Equal("written while down", Encoding.UTF8.GetString((await store.GetAsync("s/during"))!));
    }

    [Fact]
    public async Task AnOutageLongerThanTheToleranceFailsWithAClearError()
    {
        var store = new AzureBlobStore(new BlobStoreOptions
        {
            Provider = BlobStoreProvider.AzureBlob,
            ConnectionString = _azurite!.ConnectionString,
            Container = "gone",
            OutageTolerance = TimeSpan.FromSeconds(1),
        });
        await _azurite.StopAsync();

        var error = await Assert.ThrowsAsync<IOException>(() => store.PutAsync("s/x", new byte[] { 1 }));
        Assert.Contains("unreachable", error.Message, StringComparison.Ordinal);
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!condition())
        {
            Assert.False(deadline.IsCancellationRequested, $"waited 60 s for {what}, in vain");
            await Task.Delay(20, CancellationToken.None);
        }
    }
}
