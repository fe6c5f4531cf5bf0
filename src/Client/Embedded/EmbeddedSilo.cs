using LearnedActivation.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LearnedActivation.Client.Embedded;

/// <summary>
/// The embedded default: one Orleans silo inside the CLI process, localhost clustering and the
/// file-system blob store, so <c>learnact sweep</c> needs nothing installed. Logs go to a file in the
/// store (the console belongs to the live display).
/// </summary>
public sealed class EmbeddedSilo : IAsyncDisposable
{
    /// <summary>Environment variables with this prefix configure the silo, e.g. LEARNACT_Silo__GatewayPort.</summary>
    public const string EnvironmentPrefix = "LEARNACT_";

    private readonly IHost _host;

    private EmbeddedSilo(IHost host) => _host = host;

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public IServiceProvider Services => _host.Services;

    /// <param name="storeRoot">Root of the blob store (grain state, checkpoints, artifacts).</param>
    /// <param name="slots">Concurrent trainings; null keeps the silo default (one per core).</param>
    /// <param name="train">False for a status-only silo: interrupted runs stay as they are.</param>
    /// <param name="cancellationToken">Aborts start-up.</param>
    public static async Task<EmbeddedSilo> StartAsync(string storeRoot, int? slots, bool train, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(storeRoot);
        Directory.CreateDirectory(root);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = root });
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Root"] = root,
            ["Training:ResumeInterruptedRuns"] = train ? "true" : "false",
        };
        if (slots is not null)
        {
            settings["Training:Slots"] = slots.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.Configuration.AddEnvironmentVariables(EnvironmentPrefix);
        builder.AddLearnedActivationLogging(Path.Combine(root, "logs", "learnact.clef"), console: false);
        builder.AddLearnedActivationSilo();
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return new EmbeddedSilo(host);
    }

    public async ValueTask DisposeAsync()
    {
        // A graceful stop: the training worker stops its runs, which keep their last checkpoint and stay
        // "running" in durable state, so the next start resumes them.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _host.StopAsync(timeout.Token);
        _host.Dispose();
    }
}
