using System.Diagnostics;
using System.Text.Json;
using LearnedActivation.Client.Cli;
using LearnedActivation.Client.Tests.Support;
using LearnedActivation.Grains.Contracts;

namespace LearnedActivation.Client.Tests;

/// <summary>Two silo processes with mutual TLS (certificates from a CA made for the test) on a Redis with a password.</summary>
public sealed class TwoSiloTlsCluster : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _certificates = new();
    private ClusterTls? _tls;
    private LocalCluster? _cluster;

    internal LocalCluster Cluster => _cluster ?? throw new InvalidOperationException("the cluster has not started");

    internal ClusterTls Tls => _tls ?? throw new InvalidOperationException("the cluster has not started");

    public async Task InitializeAsync()
    {
        _tls = new ClusterTls(_certificates.Path);
        _cluster = await LocalCluster.StartAsync(silos: 2, slotsPerSilo: 1, _tls);
    }

    /// <summary>xunit calls this before <see cref="Dispose"/>: the processes go first, then their certificates.</summary>
    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    public void Dispose()
    {
        _tls?.Dispose();
        _certificates.Dispose();
    }
}

/// <summary>
/// An authenticated cluster: silos talk to each other and to clients over mutual TLS, and admit only certificates
/// their CA issued. A client holding one submits and reads sweeps; a client without a certificate, or with one
/// from another CA, is refused with one line and exit code 1, within seconds.
/// </summary>
[Collection(SweepProcessGroup.Name)]
public sealed class ClusterAdmitsOnlyItsCertificates(TwoSiloTlsCluster fixture) : IClassFixture<TwoSiloTlsCluster>, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    /// <summary>A refusal must come well before any timeout a user would wait out.</summary>
    private static readonly TimeSpan RefusedWithin = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _rogue = new();

    private LocalCluster Cluster => fixture.Cluster;

    public void Dispose() => _rogue.Dispose();

    [Fact]
    public async Task AClientWithTheClustersCertificateSubmitsAndReadsASweep()
    {
        CovertypeSample.Write(Path.Combine(Cluster.WorkFolder, "tls.csv"), 400);
        var spec = new SweepSpecFile("tls", ["tanh", "relu"], ["small"], ["small"], Epochs: 1, new SweepSpecData("tls.csv", CovertypeSample.Target));
        var specFile = spec.Write(Path.Combine(_rogue.Path, "tls.json"));

        var submit = await LearnactProcess.RunAsync(Cluster.WorkFolder, Timeout, Cluster.ClientEnvironment, "sweep", "--spec", specFile, "--detach");
        Assert.True(submit.ExitCode == ExitCodes.Ok, submit + "\n" + Cluster.SiloOutputs());
        // The submission line names the cluster, never its Redis password.
        Assert.Contains("submitted to the cluster at", submit.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Tls.RedisPassword, submit.StandardOutput + submit.StandardError, StringComparison.Ordinal);
        var ended = await Cluster.WaitForAsync(spec.Id, s => s.Phase is SweepPhase.Finished, "the sweep to finish on the TLS cluster", Timeout);
        Assert.True(ended.Runs.All(r => r.Phase == RunPhase.Completed), LocalCluster.Describe(ended));

        var status = await LearnactProcess.RunAsync(Cluster.WorkFolder, Timeout, Cluster.ClientEnvironment, "status", spec.Id, "--json");

        Assert.True(status.ExitCode == ExitCodes.Ok, status.ToString());
        using var json = JsonDocument.Parse(status.StandardOutput);
        Assert.Equal("finished", json.RootElement.GetProperty("phase").GetString());
        Assert.Equal(spec.ConfigNames.Order(), json.RootElement.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("configName").GetString()).Order());
    }

    [Fact]
    public async Task AClientWithoutACertificateIsRefused()
    {
        var refused = await RunRefusedAsync(Cluster.WithoutCertificate);

        Assert.Contains("Tls__CertificateFile", refused, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AClientWithACertificateFromAnotherCaIsRefused()
    {
        // It knows the cluster's CA (so it trusts the silos), but its own certificate comes from a CA of its own.
        using var rogue = new TestCertificates(_rogue.Path, "rogue-ca");
        var (certificate, key) = rogue.IssueClient("intruder");

        var refused = await RunRefusedAsync(Cluster.WithoutCertificate.Concat(ClusterTls.ClientOf(certificate, key, fixture.Tls.CaFile)).ToDictionary());

        Assert.Contains("CN=intruder", refused, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingCertificateFileIsBadInput()
    {
        var environment = Cluster.WithoutCertificate.Concat(ClusterTls.ClientOf(Path.Combine(_rogue.Path, "none.crt"), Path.Combine(_rogue.Path, "none.key"), fixture.Tls.CaFile)).ToDictionary();

        var result = await LearnactProcess.RunAsync(Cluster.WorkFolder, Timeout, environment, "status", "anything");

        Assert.True(result.ExitCode == ExitCodes.BadInput, result.ToString());
        var line = Assert.Single(result.Lines);
        Assert.StartsWith("error: Tls:CertificateFile: no file ", line, StringComparison.Ordinal);
    }

    /// <summary>Runs <c>learnact status</c> with <paramref name="environment"/>; asserts one line, exit code 1, soon; returns the line.</summary>
    private async Task<string> RunRefusedAsync(IReadOnlyDictionary<string, string> environment)
    {
        var clock = Stopwatch.StartNew();
        var result = await LearnactProcess.RunAsync(Cluster.WorkFolder, Timeout, environment, "status", "anything");
        clock.Stop();

        Assert.True(result.ExitCode == ExitCodes.Failure, result.ToString());
        var line = Assert.Single(result.Lines);
        Assert.StartsWith("error: cannot reach the cluster at ", line, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Tls.RedisPassword, line, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < RefusedWithin, $"refused after {clock.Elapsed.TotalSeconds:0} s: {line}");
        return line;
    }
}
