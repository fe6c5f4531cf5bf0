using System.Net;
using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LearnedActivation.Grains.Storage;

/// <summary>
/// <see cref="IBlobStore"/> on an Azure Blob Storage container, for clusters: every silo and the CLI see
/// the same blobs. Each blob carries the SHA-256 of its content in its metadata ("sha256"), written in
/// the same request as the content, so a reader gets the content and the hash it must match together
/// and reports anything else as <see cref="BlobCorruptedException"/>. A whole-blob upload is atomic on
/// the service: readers see the old blob or the new one.
/// <para>
/// The SDK retries each request a few times; on top of that, while the service is unreachable (a
/// restarting emulator, a network outage) every operation waits and retries with backoff for up to
/// <see cref="BlobStoreOptions.OutageTolerance"/>, so a run's checkpoint write pauses instead of failing.
/// <see cref="UnreachableSince"/> says when the current outage began (null when the store answers).
/// </para>
/// </summary>
public sealed partial class AzureBlobStore : IBlobStore
{
    public const string ChecksumMetadataKey = "sha256";

    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);
    private readonly BlobContainerClient _container;
    private readonly TimeSpan _outageTolerance;
    private readonly ILogger _logger;
    private volatile bool _containerExists;
    private long _unreachableSinceTicks;

    public AzureBlobStore(BlobStoreOptions options, ILogger<AzureBlobStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        // A connection string (account key or SAS) when one is given; else the endpoint as the process's Azure identity.
        var client = string.IsNullOrWhiteSpace(options.ConnectionString)
            ? new BlobServiceClient(new Uri(options.ServiceUri ?? throw new ArgumentException("a connection string or a service URI is required", nameof(options))), new Azure.Identity.DefaultAzureCredential(), ClientOptions())
            : new BlobServiceClient(options.ConnectionString, ClientOptions());
        _container = client.GetBlobContainerClient(options.Container);
        _outageTolerance = options.OutageTolerance;
        _logger = logger ?? NullLogger<AzureBlobStore>.Instance;
    }

    /// <summary>The container's URI (for messages: where the blobs are).</summary>
    public Uri ContainerUri => _container.Uri;

    /// <summary>When the current outage began; null while the service answers.</summary>
    public DateTimeOffset? UnreachableSince
    {
        get
        {
            var ticks = Interlocked.Read(ref _unreachableSinceTicks);
            return ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    public async Task PutAsync(string key, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        BlobKey.Validate(key);
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken);
        var bytes = BinaryData.FromBytes(buffer.ToArray());
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes.ToMemory().Span));
        var upload = new BlobUploadOptions { Metadata = new Dictionary<string, string> { [ChecksumMetadataKey] = hash } };
        await WithRetryAsync("write", key, async ct => await _container.GetBlobClient(key).UploadAsync(bytes, upload, ct), cancellationToken);
    }

    public async Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default) =>
        (await GetVersionedAsync(key, cancellationToken))?.Content;

    public async Task<VersionedBlob?> GetVersionedAsync(string key, CancellationToken cancellationToken = default)
    {
        BlobKey.Validate(key);
        var result = await WithRetryAsync("read", key, async ct =>
        {
            try
            {
                return (await _container.GetBlobClient(key).DownloadContentAsync(ct)).Value;
            }
            catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.NotFound)
            {
                return null;
            }
        }, cancellationToken);
        if (result is null)
        {
            return null;
        }

        var bytes = result.Content.ToArray();
        var eTag = result.Details.ETag.ToString();
        if (!result.Details.Metadata.TryGetValue(ChecksumMetadataKey, out var expected) || expected.Length != 64)
        {
            throw new BlobCorruptedException(key, "its checksum metadata is missing or malformed", eTag);
        }

        var actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
        return string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase)
            ? new VersionedBlob(bytes, eTag)
            : throw new BlobCorruptedException(key, $"content hash {actual[..12]}... does not match the recorded {expected[..12]}...", eTag);
    }

    /// <summary>
    /// The service checks the condition (If-Match on the blob's ETag, or If-None-Match: * for "none stored")
    /// in the same request as the upload. A request retried after a lost reply may find its own write and
    /// fail the condition: a spurious conflict, which callers of a compare-and-swap must handle anyway.
    /// </summary>
    public async Task<string> PutIfAsync(string key, ReadOnlyMemory<byte> content, string? ifMatch, CancellationToken cancellationToken = default)
    {
        BlobKey.Validate(key);
        var bytes = BinaryData.FromBytes(content.ToArray());
        var hash = Convert.ToHexStringLower(SHA256.HashData(content.Span));
        var upload = new BlobUploadOptions
        {
            Metadata = new Dictionary<string, string> { [ChecksumMetadataKey] = hash },
            Conditions = ifMatch is null ? new BlobRequestConditions { IfNoneMatch = ETag.All } : new BlobRequestConditions { IfMatch = new ETag(ifMatch) },
        };
        try
        {
            var info = await WithRetryAsync("write", key, async ct => (await _container.GetBlobClient(key).UploadAsync(bytes, upload, ct)).Value, cancellationToken);
            return info.ETag.ToString();
        }
        catch (RequestFailedException e) when (e.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.Conflict)
        {
            throw new BlobConditionFailedException(key, ifMatch, null);
        }
    }

    public async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default)
    {
        BlobKey.Validate(key);
        return await WithRetryAsync("check", key, async ct => (await _container.GetBlobClient(key).ExistsAsync(ct)).Value, cancellationToken);
    }

    public async Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken = default)
    {
        BlobKey.ValidatePrefix(prefix);
        return await WithRetryAsync("list", prefix, async ct =>
        {
            var keys = new List<string>();
            await foreach (var item in _container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix.Length == 0 ? null : prefix }, ct))
            {
                if (BlobKey.IsValid(item.Name))
                {
                    keys.Add(item.Name);
                }
            }

            keys.Sort(StringComparer.Ordinal);
            return (IReadOnlyList<string>)keys;
        }, cancellationToken);
    }

    public async Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        BlobKey.Validate(key);
        return await WithRetryAsync("delete", key, async ct => (await _container.GetBlobClient(key).DeleteIfExistsAsync(cancellationToken: ct)).Value, cancellationToken);
    }

    /// <summary>
    /// The SDK's own retries are kept short (a few quick tries per request); longer outages are this
    /// class's business, so that their length is one setting and they are logged once, not per request.
    /// </summary>
    private static BlobClientOptions ClientOptions()
    {
        var options = new BlobClientOptions();
        options.Retry.Mode = Azure.Core.RetryMode.Exponential;
        options.Retry.MaxRetries = 3;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(2);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        return options;
    }

    private async Task<T> WithRetryAsync<T>(string operation, string key, Func<CancellationToken, Task<T>> body, CancellationToken cancellationToken)
    {
        var backoff = FirstBackoff;
        DateTimeOffset? failingSince = null;
        while (true)
        {
            try
            {
                await EnsureContainerAsync(cancellationToken);
                var result = await body(cancellationToken);
                if (failingSince is not null)
                {
                    Interlocked.Exchange(ref _unreachableSinceTicks, 0);
                    LogRecovered(operation, key, DateTimeOffset.UtcNow - failingSince.Value);
                }

                return result;
            }
            catch (RequestFailedException e) when (e.ErrorCode == "ContainerNotFound" && _containerExists)
            {
                // Deleted behind our back (or an emulator restarted empty): create it again and retry at once.
                _containerExists = false;
            }
            catch (Exception e) when (IsTransient(e, cancellationToken))
            {
                var now = DateTimeOffset.UtcNow;
                if (failingSince is null)
                {
                    failingSince = now;
                    Interlocked.CompareExchange(ref _unreachableSinceTicks, now.UtcTicks, 0);
                    LogUnreachable(operation, key, _container.Uri, _outageTolerance, Describe(e));
                }

                if (now - failingSince.Value > _outageTolerance)
                {
                    throw new IOException($"blob store {_container.Uri} unreachable for {_outageTolerance.TotalSeconds:0} s ({operation} '{key}'): {Describe(e)}", e);
                }

                await Task.Delay(backoff, cancellationToken);
                backoff = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, backoff.Ticks * 2));
            }
        }
    }

    /// <summary>Creates the container on first use; two callers racing here both succeed (it is idempotent).</summary>
    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (!_containerExists)
        {
            await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            _containerExists = true;
        }
    }

    /// <summary>Connection failures, timeouts and the service's "try again" answers; never a caller's cancellation, a 4xx or a corrupt blob.</summary>
    private static bool IsTransient(Exception e, CancellationToken cancellationToken) => e switch
    {
        _ when cancellationToken.IsCancellationRequested => false,
        RequestFailedException r => r.Status is 0 or 408 or 429 or >= 500,
        AggregateException a => a.InnerExceptions.Count > 0 && a.InnerExceptions.All(i => IsTransient(i, cancellationToken)),
        HttpRequestException or TimeoutException or TaskCanceledException => true,
        BlobCorruptedException => false,
        IOException => true,
        _ => false,
    };

    private static string Describe(Exception e) =>
        (e is AggregateException { InnerExceptions.Count: > 0 } a ? a.InnerExceptions[^1].Message : e.Message).ReplaceLineEndings(" ");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Blob store {Container} unreachable ({Operation} {Key}): retrying with backoff for up to {Tolerance}; {Problem}")]
    private partial void LogUnreachable(string operation, string key, Uri container, TimeSpan tolerance, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Blob store reachable again ({Operation} {Key}) after {Outage}")]
    private partial void LogRecovered(string operation, string key, TimeSpan outage);
}
