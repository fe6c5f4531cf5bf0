using System.Security.Cryptography;
using System.Text;
using LearnedActivation.Model.Data;

namespace LearnedActivation.Model.Tests.Data;

public sealed class OpenMlDownloadsAreVerifiedAndCached : IDisposable
{
    private const int DataId = 44121;
    private const string DataUrl = "https://api.openml.org/data/v1/download/22111944/covertype.arff";
    private const string DescriptionUrl = "https://www.openml.org/api/v1/json/data/44121";

    private static readonly byte[] Arff = Encoding.UTF8.GetBytes(
        "@relation covertype\n@attribute rowid numeric\n@attribute X1 numeric\n@attribute X2 numeric\n@attribute Y {1,2}\n@data\n1,0.5,3,1\n2,0.7,4,2\n3,0.1,5,2\n");

    private readonly TempDirectory _dir = new();
    private readonly FakeHttpHandler _handler = new();
    private readonly HttpClient _http;

    public OpenMlDownloadsAreVerifiedAndCached()
    {
        _http = new HttpClient(_handler);
    }

    public void Dispose()
    {
        _http.Dispose();
        _handler.Dispose();
        _dir.Dispose();
    }

    private string CacheDir => _dir.File("openml-44121");

    private OpenMlDataSource Source(HttpClient? http = null) => new(DataId, CacheDir, http ?? _http);

    private static string Md5(byte[] bytes)
    {
#pragma warning disable CA5351 // OpenML publishes MD5; the test computes what it publishes.
        return Convert.ToHexStringLower(MD5.HashData(bytes));
#pragma warning restore CA5351
    }

    private static byte[] DescriptionJson(string md5, string target = "Y") => Encoding.UTF8.GetBytes($$"""
        {"data_set_description":{"id":"44121","name":"covertype","format":"ARFF","url":"{{DataUrl}}",
         "default_target_attribute":"{{target}}","row_id_attribute":"rowid","md5_checksum":"{{md5}}","status":"active"} }
        """);

    private void ServeGoodDataset()
    {
        _handler.Serve(DescriptionUrl, DescriptionJson(Md5(Arff)));
        _handler.Serve(DataUrl, Arff);
    }

    [Fact]
    public async Task FirstLoadDownloadsVerifiesAndParsesWithTheDefaultTarget()
    {
        ServeGoodDataset();
        var data = await Source().LoadAsync();
        Assert.Equal([DescriptionUrl, DataUrl], _handler.Requests);
        Assert.Equal("openml:44121", data.Source);
        Assert.Equal("Y", data.TargetName);
        Assert.Equal(["X1", "X2"], data.FeatureNames); // row id attribute dropped
        Assert.Equal([0.5f, 3f, 0.7f, 4f, 0.1f, 5f], data.Features);
        Assert.Equal(new LabelMapping("1", "2"), data.Mapping);
        Assert.Equal([0f, 1f, 1f], data.Labels);
        Assert.Equal(Arff, File.ReadAllBytes(Path.Combine(CacheDir, "data.arff")));
        Assert.Empty(Directory.GetFiles(CacheDir, "*.tmp"));
    }

    [Fact]
    public async Task CachedCopyIsUsedWithoutTheNetwork()
    {
        ServeGoodDataset();
        var first = await Source().LoadAsync();

        using var offlineHandler = new FakeHttpHandler { Offline = true };
        using var offline = new HttpClient(offlineHandler);
        var second = await Source(offline).LoadAsync();

        Assert.Empty(offlineHandler.Requests);
        Assert.Equal(first.ContentHash(), second.ContentHash());
    }

    [Fact]
    public async Task CorruptCachedCopyIsDownloadedAgain()
    {
        ServeGoodDataset();
        await Source().LoadAsync();
        var cached = Path.Combine(CacheDir, "data.arff");
        File.WriteAllText(cached, "@relation truncated\n");
        _handler.Requests.Clear();

        var data = await Source().LoadAsync();

        Assert.Equal([DataUrl], _handler.Requests); // description still cached, data fetched again
        Assert.Equal(3, data.Rows);
        Assert.Equal(Arff, File.ReadAllBytes(cached));
    }

    [Fact]
    public async Task ChecksumMismatchIsAClearErrorAndNothingIsCached()
    {
        _handler.Serve(DescriptionUrl, DescriptionJson(new string('0', 32)));
        _handler.Serve(DataUrl, Arff);

        var error = await Assert.ThrowsAsync<DataException>(() => Source().LoadAsync());

        DataFiles.AssertOneLine(error.Message);
        Assert.StartsWith("openml:44121: checksum mismatch", error.Message, StringComparison.Ordinal);
        Assert.Contains("expected md5 00000000000000000000000000000000, got " + Md5(Arff), error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(CacheDir, "data.arff")));
        Assert.Empty(Directory.GetFiles(CacheDir, "*.tmp"));
    }

    [Fact]
    public async Task OfflineWithoutCacheNamesTheDataIdAndHowToPassALocalFile()
    {
        _handler.Offline = true;

        var error = await Assert.ThrowsAsync<DataException>(() => Source().LoadAsync());

        DataFiles.AssertOneLine(error.Message);
        Assert.StartsWith("openml:44121:", error.Message, StringComparison.Ordinal);
        Assert.Contains("--data FILE.csv --target COLUMN", error.Message, StringComparison.Ordinal);
        Assert.Contains(CacheDir, error.Message, StringComparison.Ordinal);
        Assert.IsType<HttpRequestException>(error.InnerException);
    }

    [Fact]
    public async Task OfflineWithCachedDescriptionButNoDataStillExplainsTheWayOut()
    {
        Directory.CreateDirectory(CacheDir);
        File.WriteAllBytes(Path.Combine(CacheDir, "description.json"), DescriptionJson(Md5(Arff)));
        _handler.Offline = true;

        var error = await Assert.ThrowsAsync<DataException>(() => Source().LoadAsync());

        Assert.Equal([DataUrl], _handler.Requests);
        Assert.Contains("--data FILE.csv --target COLUMN", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownDataIdAnswerIsReportedWithItsStatus()
    {
        var error = await Assert.ThrowsAsync<DataException>(() => Source().LoadAsync());
        DataFiles.AssertOneLine(error.Message);
        Assert.Contains("answered 404", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DescriptionWithoutChecksumIsRejected()
    {
        _handler.Serve(DescriptionUrl, Encoding.UTF8.GetBytes($$"""{"data_set_description":{"url":"{{DataUrl}}","default_target_attribute":"Y"} }"""));
        var error = await Assert.ThrowsAsync<DataException>(() => Source().LoadAsync());
        Assert.Contains("no 'md5_checksum'", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(CacheDir, "description.json")));
    }

    [Fact]
    public async Task DamagedCachedDescriptionIsFetchedAgain()
    {
        Directory.CreateDirectory(CacheDir);
        File.WriteAllText(Path.Combine(CacheDir, "description.json"), "{ not json");
        ServeGoodDataset();

        var data = await Source().LoadAsync();

        Assert.Equal(3, data.Rows);
        Assert.Equal([DescriptionUrl, DataUrl], _handler.Requests);
    }

    [Fact]
    public void DefaultCacheDirectoryHonoursTheEnvironmentVariable()
    {
        var fromVariable = OpenMlDataSource.DefaultCacheDirectory(44121, name => name == "LEARNACT_CACHE" ? "/tmp/c" : null);
        Assert.Equal(Path.Combine("/tmp/c", "openml", "44121"), fromVariable);
        var fallback = OpenMlDataSource.DefaultCacheDirectory(7, _ => null);
        Assert.EndsWith(Path.Combine(".cache", "learnedactivation", "openml", "7"), fallback, StringComparison.Ordinal);
    }
}
