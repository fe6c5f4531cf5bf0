using System.ComponentModel.DataAnnotations;
using System.Net;
using LearnedActivation.Grains.Hosting;
using LearnedActivation.Grains.Training;
using LearnedActivation.Silo.Dashboard;
using LearnedActivation.Silo.Hosting.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;
using Serilog;
using Serilog.Formatting.Compact;

namespace LearnedActivation.Silo.Hosting;

public static class SiloHostBuilderExtensions
{
    /// <summary>
    /// Wires a silo. The default (embedded, and learnact-silo without settings) is a single local silo:
    /// localhost clustering, in-memory reminders (the process is the whole cluster, and a restarted sweep
    /// resumes its runs itself), grain state, checkpoints and artifacts in the file-system blob store.
    /// Cluster mode (Silo:Clustering = Redis) puts membership and reminders in Redis, so silos on any
    /// machines form one cluster and a run whose silo dies is re-activated elsewhere by its reminder;
    /// with Storage:Provider = AzureBlob every silo shares one blob container.
    /// Configuration sections: "Silo" (<see cref="SiloHostOptions"/>), "Storage" (<see cref="Grains.Storage.BlobStoreOptions"/>),
    /// "Training" (slots), "Data" (data root, required on a cluster, and reader limits), "Membership" (Orleans' ClusterMembershipOptions, to tune failure detection),
    /// "Tls" (<see cref="ClusterTlsOptions"/>: mutual TLS for silo-to-silo and gateway connections, a private CA for Redis's TLS).
    /// <paramref name="configureSilo"/> registers the training backend and the artifact assembler.
    /// Used by learnact-silo's Program.cs and by the CLI's embedded mode.
    /// </summary>
    public static IHostApplicationBuilder AddLearnedActivationSilo(this IHostApplicationBuilder builder, Action<ISiloBuilder>? configureSilo = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<SiloHostOptions>().BindConfiguration(SiloHostOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        // Clustering and ports are needed while the host is being built, before ValidateOnStart runs: check them now.
        var host = builder.Configuration.GetSection(SiloHostOptions.Section).Get<SiloHostOptions>() ?? new SiloHostOptions();
        var problems = new List<ValidationResult>();
        if (!Validator.TryValidateObject(host, new ValidationContext(host), problems, validateAllProperties: true))
        {
            throw new OptionsValidationException(SiloHostOptions.Section, typeof(SiloHostOptions), problems.Select(p => $"{SiloHostOptions.Section}: {p.ErrorMessage}"));
        }

        // Certificates are loaded now, so that a wrong path or password stops the silo at start with one line.
        var tls = builder.Configuration.GetSection(ClusterTlsOptions.Section).Get<ClusterTlsOptions>() ?? new ClusterTlsOptions();
        var certificates = tls.Enabled ? ClusterCertificates.Load(tls, asServer: true) : null;
        builder.UseOrleans(silo =>
        {
            if (certificates is not null)
            {
                silo.UseClusterTls(certificates, tls.HandshakeTimeout);
            }

            if (host.Clustering == ClusteringMode.Redis)
            {
                UseRedisCluster(silo, host, tls);

                // A cluster takes specs from any client: its silos read local data only under Data:Root.
                silo.Services.PostConfigure<DataAccessOptions>(o => o.RequireRoot = true);
            }
            else
            {
                silo.UseLocalhostClustering(host.SiloPort, host.GatewayPort, serviceId: host.ServiceId, clusterId: host.ClusterId);
                silo.UseInMemoryReminderService();
            }

            if (!string.IsNullOrWhiteSpace(host.Name))
            {
                silo.Configure<SiloOptions>(o => o.SiloName = host.Name);
            }

            silo.Services.AddOptions<ClusterMembershipOptions>().BindConfiguration("Membership");
            silo.AddLearnedActivationGrains();
            silo.Services.TryAddSingleton(TimeProvider.System);
            silo.Services.AddHostedService<SlotsReporter>();
            configureSilo?.Invoke(silo);
        });
        return builder;
    }

    private static void UseRedisCluster(ISiloBuilder silo, SiloHostOptions host, ClusterTlsOptions tls)
    {
        // Password and TLS come with the connection string (password=...,ssl=true); a private CA from Tls:RedisCaFile.
        var redis = RedisConnection.Options(host.RedisConnectionString!, tls);
        silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (host.ClusterId, host.ServiceId));
        silo.UseRedisClustering(o => o.ConfigurationOptions = redis.Clone());
        silo.UseRedisReminderService(o => o.ConfigurationOptions = redis.Clone());
        if (host.Kubernetes)
        {
            // Takes the pod IP and the cluster/service ids from the pod (environment set by the manifest).
            silo.UseKubernetesHosting();
            return;
        }

        var address = string.IsNullOrWhiteSpace(host.AdvertisedAddress) ? null : IPAddress.Parse(host.AdvertisedAddress);
        if (address is null)
        {
            silo.ConfigureEndpoints(host.SiloPort, host.GatewayPort, listenOnAnyHostAddress: true);
        }
        else
        {
            // On loopback the silo listens there only; on a routable address it listens on every interface.
            silo.ConfigureEndpoints(address, host.SiloPort, host.GatewayPort, listenOnAnyHostAddress: !IPAddress.IsLoopback(address));
        }
    }

    /// <summary>
    /// Serilog for a host: minimum levels and overrides from the "Serilog" configuration section, console
    /// output (optional: the CLI's live display owns the console), and a compact-JSON log file.
    /// </summary>
    public static IHostApplicationBuilder AddLearnedActivationLogging(this IHostApplicationBuilder builder, string logFile, bool console = true)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(logFile);
        builder.Services.AddSerilog((services, logger) =>
        {
            logger.MinimumLevel.Information()
                .MinimumLevel.Override("Orleans", Serilog.Events.LogEventLevel.Warning)
                .MinimumLevel.Override("Microsoft", Serilog.Events.LogEventLevel.Warning)
                .MinimumLevel.Override("Polly", Serilog.Events.LogEventLevel.Warning)
                .ReadFrom.Configuration(builder.Configuration)
                .Enrich.FromLogContext()
                .WriteTo.File(new CompactJsonFormatter(), logFile, shared: true); // several processes (a sweep, a status) may log to one store
            if (console)
            {
                logger.WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture);
            }
        });
        return builder;
    }
}
