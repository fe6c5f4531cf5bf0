using System.ComponentModel.DataAnnotations;
using LearnedActivation.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Serilog;
using Serilog.Formatting.Compact;

namespace LearnedActivation.Silo.Hosting;

public static class SiloHostBuilderExtensions
{
    /// <summary>
    /// Hosts a single local silo: localhost clustering, in-memory reminders (the process is the whole
    /// cluster, and a restarted sweep resumes its runs itself), and the sweep grains with their
    /// file-system blob store and grain state, so that state outlives the process. Configuration
    /// sections: "Silo" (<see cref="SiloHostOptions"/>), "Storage" (root directory), "Training" (slots).
    /// <paramref name="configureSilo"/> registers the training backend and the artifact assembler.
    /// Used by learnact-silo's Program.cs and by the CLI's embedded mode.
    /// </summary>
    public static IHostApplicationBuilder AddLearnedActivationSilo(this IHostApplicationBuilder builder, Action<ISiloBuilder>? configureSilo = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<SiloHostOptions>().BindConfiguration(SiloHostOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        // Ports are needed while the host is being built, before ValidateOnStart runs: check them now.
        var host = builder.Configuration.GetSection(SiloHostOptions.Section).Get<SiloHostOptions>() ?? new SiloHostOptions();
        var problems = new List<ValidationResult>();
        if (!Validator.TryValidateObject(host, new ValidationContext(host), problems, validateAllProperties: true))
        {
            throw new OptionsValidationException(SiloHostOptions.Section, typeof(SiloHostOptions), problems.Select(p => $"{SiloHostOptions.Section}: {p.ErrorMessage}"));
        }

        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(host.SiloPort, host.GatewayPort, serviceId: host.ServiceId, clusterId: host.ClusterId);
            silo.UseInMemoryReminderService();
            silo.AddLearnedActivationGrains();
            configureSilo?.Invoke(silo);
        });
        return builder;
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
