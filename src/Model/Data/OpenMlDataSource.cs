using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace LearnedActivation.Model.Data;

/// <summary>
/// An OpenML dataset (default 44121, covertype binary), downloaded on first use and cached:
/// <c>{cache}/description.json</c> and <c>{cache}/data.arff</c>. The ARFF is verified against the
/// description's <c>md5_checksum</c> after every download and on every load from the cache; a corrupt
/// cached copy is downloaded again. Files are written to a temporary name and renamed, so an interrupted
/// download never leaves a half file under the final name. The target is the description's
/// <c>default_target_attribute</c>; <c>ignore_attribute</c> and <c>row_id_attribute</c> are dropped.
/// </summary>
public sealed class OpenMlDataSource : IDataSource
{
    /// <summary>Covertype, binary, 10 numeric features: the project's default dataset.</summary>
    public const int DefaultDataId = 44121;

    /// <summary>Environment variable naming the cache root (default <c>~/.cache/learnedactivation</c>).</summary>
    public const string CacheVariable = "LEARNACT_CACHE";

    private const string DescriptionFile = "description.json";
    private const string DataFileName = "data.arff";

    private static readonly Lazy<HttpClient> DefaultHttp = new(CreateDefaultClient);

    private readonly HttpClient _http;
    private readonly ILogger? _logger;

    /// <param name="dataId">The OpenML data id.</param>
    /// <param name="cacheDirectory">Where this dataset's files live; <see cref="DefaultCacheDirectory"/> when null.</param>
    /// <param name="httpClient">The client to download with (tests pass one with a fake handler); a shared one when null.</param>
    /// <param name="logger">Receives "downloading" and "using cache" notes.</param>
    public OpenMlDataSource(int dataId = DefaultDataId, string? cacheDirectory = null, HttpClient? httpClient = null, ILogger? logger = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dataId);
        DataId = dataId;
        CacheDirectory = cacheDirectory ?? DefaultCacheDirectory(dataId, Environment.GetEnvironmentVariable);
        _http = httpClient ?? DefaultHttp.Value;
        _logger = logger;
    }

    public int DataId { get; }

    public string CacheDirectory { get; }

    public string Description => $"openml:{DataId}";

    /// <summary>The description address for a data id.</summary>
    public static Uri DescriptionUri(int dataId) => new($"https://www.openml.org/api/v1/json/data/{dataId}");

    /// <summary><c>$LEARNACT_CACHE/openml/{id}</c>, or <c>~/.cache/learnedactivation/openml/{id}</c> when the variable is unset.</summary>
    public static string DefaultCacheDirectory(int dataId, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var root = environment(CacheVariable);
        if (string.IsNullOrWhiteSpace(root))
        {
            root = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "learnedactivation");
        }

        return Path.Combine(root, "openml", dataId.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public async Task<TabularData> LoadAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            Directory.CreateDirectory(CacheDirectory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataException($"{Description}: cannot create the cache directory {CacheDirectory} ({DataFile.OneLine(e.Message)}); set {CacheVariable} to a writable folder", e);
        }

        var description = ReadCachedDescription() ?? await DownloadDescriptionAsync(cancellationToken);
        var dataPath = Path.Combine(CacheDirectory, DataFileName);
        var cachedMd5 = File.Exists(dataPath) ? await Md5OfFileAsync(dataPath, cancellationToken) : null;
        if (cachedMd5 == description.Md5Checksum)
        {
            _logger?.LogInformation("OpenML {DataId}: using verified cached copy {Path}", DataId, dataPath);
        }
        else
        {
            if (cachedMd5 is not null)
            {
                _logger?.LogWarning("OpenML {DataId}: cached {Path} has md5 {Actual}, expected {Expected}; downloading again", DataId, dataPath, cachedMd5, description.Md5Checksum);
            }

            await DownloadDataAsync(description, dataPath, cancellationToken);
        }

        return await Task.Run(
            () => ArffReader.Read(dataPath, description.DefaultTargetAttribute, description.IgnoredAttributes, Description, cancellationToken: cancellationToken),
            cancellationToken);
    }

    private OpenMlDescription? ReadCachedDescription()
    {
        var path = Path.Combine(CacheDirectory, DescriptionFile);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return OpenMlDescription.Parse(File.ReadAllText(path), DataId, path);
        }
        catch (Exception e) when (e is DataException or IOException)
        {
            // A damaged cached description is not fatal: the network copy replaces it.
            _logger?.LogWarning("OpenML {DataId}: ignoring unreadable cached description {Path}: {Problem}", DataId, path, e.Message);
            return null;
        }
    }

    private async Task<OpenMlDescription> DownloadDescriptionAsync(CancellationToken cancellationToken)
    {
        var uri = DescriptionUri(DataId);
        _logger?.LogInformation("OpenML {DataId}: downloading description {Uri}", DataId, uri);
        string json;
        try
        {
            using var response = await _http.GetAsync(uri, HttpCompletionOption.ResponseContentRead, cancellationToken);
            EnsureSuccess(response, uri);
            json = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (Exception e) when (IsNetworkFailure(e, cancellationToken))
        {
            throw Offline(uri, e);
        }

        var description = OpenMlDescription.Parse(json, DataId, uri.ToString());
        await WriteAtomicallyAsync(
            Path.Combine(CacheDirectory, DescriptionFile),
            (stream, ct) => stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(json), ct).AsTask(),
            cancellationToken);
        return description;
    }

    private async Task DownloadDataAsync(OpenMlDescription description, string dataPath, CancellationToken cancellationToken)
    {
        _logger?.LogInformation("OpenML {DataId}: downloading {Uri}", DataId, description.Url);
        string? actual = null;
        try
        {
            await WriteAtomicallyAsync(
                dataPath,
                async (file, ct) =>
                {
                    using var response = await _http.GetAsync(description.Url, HttpCompletionOption.ResponseHeadersRead, ct);
                    EnsureSuccess(response, description.Url);
                    await using var body = await response.Content.ReadAsStreamAsync(ct);
                    actual = await CopyAndHashAsync(body, file, ct);
                    if (actual != description.Md5Checksum)
                    {
                        // Throwing here makes WriteAtomicallyAsync delete the temporary file: a bad download never reaches the cache.
                        throw new DataException(
                            $"{Description}: checksum mismatch for {description.Url}: expected md5 {description.Md5Checksum}, got {actual}; the download was discarded, try again later or pass --data FILE.csv --target COLUMN");
                    }
                },
                cancellationToken);
        }
        catch (Exception e) when (IsNetworkFailure(e, cancellationToken))
        {
            throw Offline(description.Url, e);
        }
    }

    private DataException Offline(Uri uri, Exception e) =>
        new(
            $"{Description}: could not download {uri} ({DataFile.OneLine(e.Message)}) and no verified copy is cached in {CacheDirectory}; to run offline pass a local file: --data FILE.csv --target COLUMN",
            e);

    private void EnsureSuccess(HttpResponseMessage response, Uri uri)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new DataException(
                $"{Description}: GET {uri} answered {(int)response.StatusCode} ({response.ReasonPhrase}); check the data id, or pass a local file: --data FILE.csv --target COLUMN");
        }
    }

    // A timeout surfaces as TaskCanceledException without the caller having cancelled; the caller's own cancellation must propagate as is.
    private static bool IsNetworkFailure(Exception e, CancellationToken cancellationToken) =>
        e is HttpRequestException or IOException
        || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested);

    private static async Task WriteAtomicallyAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await write(stream, cancellationToken);
                await stream.FlushAsync(cancellationToken);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    // MD5 is what OpenML publishes; it guards against truncated or damaged downloads, not against an attacker.
#pragma warning disable CA5351
    private static async Task<string> CopyAndHashAsync(Stream source, Stream destination, CancellationToken cancellationToken)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var buffer = new byte[1 << 16];
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            md5.AppendData(buffer, 0, read);
            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }

        return Convert.ToHexStringLower(md5.GetHashAndReset());
    }

    private static async Task<string> Md5OfFileAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        return Convert.ToHexStringLower(await MD5.HashDataAsync(file, cancellationToken));
    }
#pragma warning restore CA5351

    private static HttpClient CreateDefaultClient()
    {
        // Decompression is transparent, so the bytes hashed and cached are the file OpenML's checksum describes.
        var handler = new SocketsHttpHandler { AutomaticDecompression = System.Net.DecompressionMethods.All };
        var client = new HttpClient(handler, disposeHandler: true) { Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("LearnedActivation/1.0");
        return client;
    }
}
