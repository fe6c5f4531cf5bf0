using LearnedActivation.Client.Cli;
using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Storage;

namespace LearnedActivation.Client.Tests.Support;

/// <summary>
/// A <see cref="LocalCluster"/> (silo processes on a real Redis and Azurite) shared by the tests of one class as
/// an xunit class fixture: started before the first, every process killed after the last. The cluster tests
/// differ only in what is passed here: how many silos, which settings on top of the cluster's, and whether a
/// covertype sample is written into the work folder (under the silos' data root) for them.
/// </summary>
public abstract class ClusterFixture : IAsyncLifetime
{
    private readonly int _silos;
    private readonly int _dataRows;
    private readonly IReadOnlyDictionary<string, string>? _settings;
    private LocalCluster? _cluster;

    /// <param name="silos">How many silo processes; each trains one run at a time.</param>
    /// <param name="dataRows">Rows of the covertype sample written to <see cref="DataFile"/>; 0: none.</param>
    /// <param name="settings">Configuration every silo gets (see <see cref="LocalCluster.StartAsync"/>).</param>
    protected ClusterFixture(int silos, int dataRows = 0, IReadOnlyDictionary<string, string>? settings = null)
    {
        (_silos, _dataRows, _settings) = (silos, dataRows, settings);
    }

    internal LocalCluster Cluster => _cluster ?? throw new InvalidOperationException("the cluster has not started");

    /// <summary>The covertype sample in the work folder (the silos' data root); empty when none was asked for.</summary>
    public string DataFile { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        _cluster = await LocalCluster.StartAsync(_silos, slotsPerSilo: 1, settings: _settings);
        if (_dataRows > 0)
        {
            DataFile = CovertypeSample.Write(Path.Combine(_cluster.WorkFolder, "covertype.csv"), _dataRows);
        }
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}

/// <summary>One silo, reading data only under its Data:Root (the work folder); the tests write their own data.</summary>
public sealed class OneSiloCluster() : ClusterFixture(silos: 1);

/// <summary>
/// Three silos, with enough rows that a run trains for several seconds (time to kill its silo between checkpoints),
/// and the weights of an uninterrupted sweep to compare faulted ones against.
/// </summary>
public sealed class ThreeSiloCluster() : ClusterFixture(silos: 3, dataRows: Rows)
{
    public const int Rows = 20_000;

    private readonly Lock _referenceGate = new();
    private Task? _reference;

    /// <summary>
    /// The learned activation of <paramref name="config"/> from a sweep that nothing interrupted, run through
    /// the CLI (<c>learnact sweep --spec</c>, following it to the end) once for all tests: every base and
    /// activation size any test uses, small outer network.
    /// </summary>
    internal async Task<byte[]> ReferenceWeightsAsync(string config, SweepSpecFile template)
    {
        lock (_referenceGate)
        {
            _reference ??= RunReferenceAsync(template with { Bases = ["tanh", "relu"], ActivationSizes = ["small", "medium"] });
        }

        await _reference;
        var bytes = await Cluster.Store.GetAsync(StoreLayout.RunArtifact(new RunKey(template.Id, config), "activation.safetensors"));
        Assert.NotNull(bytes);
        return bytes;
    }

    private async Task RunReferenceAsync(SweepSpecFile reference)
    {
        reference.Write(Path.Combine(Cluster.WorkFolder, "reference.json"));
        var outFolder = Path.Combine(Cluster.WorkFolder, "reference-figures");
        var run = await LearnactProcess.RunAsync(Cluster.WorkFolder, TimeSpan.FromMinutes(4), Cluster.ClientEnvironment, "sweep", "--spec", "reference.json", "--out", outFolder);
        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        Assert.NotEmpty(Directory.EnumerateFiles(outFolder, "*.png"));
    }
}

/// <summary>
/// Two silos with a short execution lease, heartbeat and host check, so that a run moves off a frozen silo
/// within seconds; enough rows that an epoch takes a moment (a freeze lands mid-run, and the run goes on long
/// enough to move).
/// </summary>
public sealed class ShortLeaseCluster() : ClusterFixture(silos: 2, dataRows: 20_000, ShortLease)
{
    /// <summary>Seconds, where production waits a minute: the lease, the heartbeat within it, and the sweep's look at its silos.</summary>
    internal static readonly IReadOnlyDictionary<string, string> ShortLease = new Dictionary<string, string>
    {
        ["Scheduling__ExecutionLease"] = "00:00:05",
        ["Scheduling__HeartbeatInterval"] = "00:00:01",
        ["Scheduling__HostCheckInterval"] = "00:00:01",
    };
}
