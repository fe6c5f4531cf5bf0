using LearnedActivation.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

// A stand-alone silo: alone on this machine by default, or one of a cluster (Silo:Clustering=Redis).
// Configuration, later wins: appsettings.json, LEARNACT_ environment variables (e.g. LEARNACT_Training__Slots=2),
// command line (--Silo:Clustering=Redis --Storage:Provider=AzureBlob ...). Options are validated on start.
var builder = Host.CreateApplicationBuilder(args);
builder.Configuration.AddEnvironmentVariables("LEARNACT_");
builder.Configuration.AddCommandLine(args);
builder.AddLearnedActivationLogging(builder.Configuration["Silo:LogFile"] ?? Path.Combine("logs", "learnact-silo.clef"));
builder.AddLearnedActivationSilo();
await builder.Build().RunAsync();
