using LearnedActivation.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

// A stand-alone local silo. Configuration: appsettings.json, LEARNACT_ environment variables
// (e.g. LEARNACT_Training__Slots=2), command-line (--Storage:Root=./runs).
var builder = Host.CreateApplicationBuilder(args);
builder.Configuration.AddEnvironmentVariables("LEARNACT_");
builder.AddLearnedActivationLogging(Path.Combine("logs", "learnact-silo.clef"));
builder.AddLearnedActivationSilo();
await builder.Build().RunAsync();
