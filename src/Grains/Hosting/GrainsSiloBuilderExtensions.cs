using LearnedActivation.Grains.Execution;
using LearnedActivation.Grains.Scheduling;
using LearnedActivation.Grains.Storage;
using LearnedActivation.Grains.Sweeps;
using LearnedActivation.Grains.Training;
using LearnedActivation.Model.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime.Hosting;

namespace LearnedActivation.Grains.Hosting;

public static class GrainsSiloBuilderExtensions
{
    /// <summary>
    /// Everything the sweep and run grains need on a silo, except clustering and reminders (deployment
    /// choices, made by the host): the blob store (<see cref="BlobStoreOptions.Provider"/>: file system under
    /// <see cref="BlobStoreOptions.Root"/> or an Azure Blob container, unless an <see cref="IBlobStore"/> is registered first), grain storage on it, checkpoints, the
    /// training worker, executor and the work puller that claims queued runs for this silo, the TorchSharp training backend and the report assembler.
    /// Tests register their own <see cref="ITrainingBackend"/> / <see cref="ISweepArtifactAssembler"/> first to replace them.
    /// Options: "Training" (<see cref="TrainingSlotsOptions"/>), "Scheduling" (<see cref="RunSchedulingOptions"/>) and
    /// "Storage" (<see cref="BlobStoreOptions"/>), "Data" (<see cref="DataAccessOptions"/>, <see cref="DataLimits"/>), validated on start.
    /// </summary>
    public static ISiloBuilder AddLearnedActivationGrains(this ISiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        var services = silo.Services;
        services.AddOptions<TrainingSlotsOptions>().BindConfiguration(TrainingSlotsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RunSchedulingOptions>().BindConfiguration(RunSchedulingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<BlobStoreOptions>().BindConfiguration(BlobStoreOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DataAccessOptions>().BindConfiguration(DataAccessOptions.Section)
            .Validate(o => string.IsNullOrWhiteSpace(o.Root) || Directory.Exists(o.Root), $"{DataAccessOptions.Section}:{nameof(DataAccessOptions.Root)} must be an existing directory")
            .ValidateOnStart();
        services.AddOptions<DataLimits>().BindConfiguration(DataLimits.Section)
            .Validate(l => l.FirstError() is null, $"{DataLimits.Section}: every Max* limit must be positive")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IBlobStore>(CreateBlobStore);
        services.TryAddSingleton(sp => QueuePolicies.Named(sp.GetRequiredService<IOptions<RunSchedulingOptions>>().Value.QueuePolicy));
        services.TryAddSingleton<CheckpointStore>();
        services.TryAddSingleton<SplitDataCache>();
        services.TryAddSingleton<IActivationSources, StoredActivationSources>();
        services.TryAddSingleton<ITrainingBackend, TorchTrainingBackend>();
        services.TryAddSingleton<ISweepArtifactAssembler, ReportAssembler>();
        services.TryAddSingleton<TrainingWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<TrainingWorker>());
        services.TryAddSingleton<IRunExecutor, RunExecutor>();
        services.AddSingleton<WorkPuller>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<WorkPuller>());

        services.AddGrainStorage(StorageNames.Runs, (sp, _) => new BlobGrainStorage(sp.GetRequiredService<IBlobStore>(), sp.GetService<ILogger<BlobGrainStorage>>()));
        services.AddGrainStorage(StorageNames.Sweeps, (sp, _) => new BlobGrainStorage(sp.GetRequiredService<IBlobStore>(), sp.GetService<ILogger<BlobGrainStorage>>()));
        return silo;
    }

    /// <summary>The store that <see cref="BlobStoreOptions.Provider"/> names, from <see cref="BlobStoreFactory"/>.</summary>
    private static IBlobStore CreateBlobStore(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return BlobStoreFactory.Create(services.GetRequiredService<IOptions<BlobStoreOptions>>().Value, services.GetService<ILoggerFactory>());
    }
}
