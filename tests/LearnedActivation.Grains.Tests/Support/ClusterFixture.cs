using LearnedActivation.Grains.Contracts;
using LearnedActivation.Grains.Execution;
using LearnedActivation.Grains.Hosting;
using LearnedActivation.Grains.Storage;
using LearnedActivation.Grains.Sweeps;
using LearnedActivation.Grains.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace LearnedActivation.Grains.Tests.Support;

/// <summary>
/// Two in-process silos sharing one file-system blob store (as silos share Azure Blob in a cluster),
/// with the fake training backend and a recording assembler. Tests use their own sweep ids, so they
/// do not see each other's runs.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _root = new();

    public ClusterFixture()
    {
        Store = new FileSystemBlobStore(_root.Path);
        Assembler = new RecordingAssembler(Store);
    }

    public FakeTrainingBackend Backend { get; } = new();

    public RecordingAssembler Assembler { get; }

    public FileSystemBlobStore Store { get; }

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync()
    {
        Cluster = TestSilos.Build(2, _root.Path, Backend, Assembler, Store);
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    public void Dispose() => _root.Dispose();
}

[CollectionDefinition(Name)]
public sealed class ClusterGroup : ICollectionFixture<ClusterFixture>
{
    public const string Name = "two-silo cluster";
}

/// <summary>How test clusters are configured: the production grain registration plus test doubles.</summary>
public static class TestSilos
{
    public static InProcessTestCluster Build(
        short silos,
        string root,
        ITrainingBackend backend,
        ISweepArtifactAssembler? assembler = null,
        IBlobStore? store = null,
        bool acceptsRuns = true,
        int slots = 2,
        TimeSpan? executionLease = null,
        TimeSpan? heartbeat = null,
        Action<ISiloBuilder>? configure = null)
    {
        var builder = new InProcessTestClusterBuilder(silos);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) =>
        {
            // A killed silo is declared dead within seconds, not the production tens of seconds.
            silo.Services.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromMilliseconds(500);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
            });
            silo.Services.Configure<RunSchedulingOptions>(o =>
            {
                o.PollInterval = TimeSpan.FromMilliseconds(50);
                o.HostCheckInterval = TimeSpan.FromMilliseconds(200);
                o.HeartbeatInterval = heartbeat ?? TimeSpan.FromMilliseconds(100);
                o.ExecutionLease = executionLease ?? o.ExecutionLease;
            });
            silo.UseInMemoryReminderService();
            silo.Services.AddSingleton(backend);
            if (store is not null)
            {
                silo.Services.AddSingleton(store);
            }

            if (assembler is not null)
            {
                silo.Services.AddSingleton(assembler);
            }

            silo.AddLearnedActivationGrains();
            silo.Services.Configure<BlobStoreOptions>(o => o.Root = root);
            silo.Services.Configure<TrainingSlotsOptions>(o =>
            {
                o.Slots = slots;
                o.AcceptsRuns = acceptsRuns;
            });
            configure?.Invoke(silo);
        });
        return builder.Build();
    }

    /// <summary>A small sweep: tanh and relu x small outer x the given activation sizes; instant fake epochs.</summary>
    public static SweepSpec Spec(string id, int epochs = 3, int checkpointEvery = 1, params Model.Configuration.SizePreset[] activationSizes) =>
        new(
            id,
            new SweepAxes(
                [Model.Configuration.BaseActivation.Tanh, Model.Configuration.BaseActivation.Relu],
                [Model.Configuration.SizePreset.Small],
                activationSizes.Length == 0 ? [Model.Configuration.SizePreset.Small] : activationSizes,
                [0L]),
            new TrainingBudget(epochs, 64, 1e-3, 1),
            DataSpec.OpenMlDefault,
            checkpointEvery);
}
