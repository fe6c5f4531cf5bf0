using LearnedActivation.Silo.Dashboard;
using LearnedActivation.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

// A stand-alone silo: alone on this machine by default, or one of a cluster (Silo:Clustering=Redis).
// Configuration, later wins: appsettings.json, secret files (one per key, in $LEARNACT_SECRETS_DIR when set: a compose or
// Kubernetes secret mounted as files such as Silo__RedisConnectionString), LEARNACT_ environment variables (e.g.
// LEARNACT_Training__Slots=2), command line (--Silo:Clustering=Redis --Storage:Provider=AzureBlob ...). Options are validated on start.
// The sweep dashboard (section "Dashboard": Port, 0 = off; Address, loopback unless AllowRemote) is served by this host.
var settings = new ConfigurationManager();
settings.AddEnvironmentVariables("LEARNACT_").AddCommandLine(args);
var dashboard = DashboardSettings.Read(settings);
var builder = DashboardHosting.CreateSiloBuilder(dashboard, args);
if (Environment.GetEnvironmentVariable("LEARNACT_SECRETS_DIR") is { Length: > 0 } secrets && Directory.Exists(secrets))
{
    builder.Configuration.AddKeyPerFile(source =>
    {
        source.FileProvider = new PhysicalFileProvider(Path.GetFullPath(secrets));
        source.Optional = true;

        // Keys have no dot; files beside them that do (ca.crt, silo.pfx) are read by path (Tls:CaFile ...), not as settings.
        source.IgnoreCondition = name => name.Contains('.', StringComparison.Ordinal);
    });
}

builder.Configuration.AddEnvironmentVariables("LEARNACT_");
builder.Configuration.AddCommandLine(args);
builder.AddLearnedActivationLogging(builder.Configuration["Silo:LogFile"] ?? Path.Combine("logs", "learnact-silo.clef"));
builder.AddLearnedActivationSilo(silo => DashboardHosting.ConfigureSilo(silo, dashboard));
using var host = DashboardHosting.Build(builder, new DashboardSweeps());
await host.StartAsync();
if (DashboardHosting.UrlOf(host) is { } url)
{
    Console.WriteLine($"Dashboard: {url}");
}

await host.WaitForShutdownAsync();
