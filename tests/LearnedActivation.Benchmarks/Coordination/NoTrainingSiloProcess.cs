using System.Diagnostics;
using System.Text.Json;
using LearnedActivation.Grains.Execution;
using LearnedActivation.Grains.Sweeps;
using LearnedActivation.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LearnedActivation.Benchmarks.Coordination;

/// <summary>
/// The benchmark program as one silo of a cluster (<c>--coordination-silo</c>, started by
/// <see cref="ClusterClaimBenchmark"/>, never by hand): learnact-silo's wiring (<c>AddLearnedActivationSilo</c>,
/// configured from LEARNACT_ environment variables as learnact-silo is: Redis membership, the shared store,
/// slots) with the backend that trains nothing (<see cref="ReportingOnlyBackend"/>) and the assembler that
/// writes nothing, so that the production silo needs no benchmark switch. Its sweep grain's calls are timed
/// (<see cref="SweepGrainCallTimer"/>).
/// Protocol with the benchmark, one line each: this process prints <see cref="ReadyLine"/> once started; a line
/// "load" on its stdin is answered with <see cref="LoadLine"/> and the load as JSON; stdin closed stops the silo.
/// </summary>
internal static class NoTrainingSiloProcess
{
    public const string Argument = "--coordination-silo";
    public const string ReadyLine = "coordination-silo: started";
    public const string LoadLine = "coordination-silo: load ";

    public static async Task<int> RunAsync()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddEnvironmentVariables("LEARNACT_");
        var timer = new SweepGrainCallTimer();
        builder.Services.AddSingleton<ITrainingBackend>(new ReportingOnlyBackend(CoordinationBenchmark.CheckpointBytes));
        builder.Services.AddSingleton<ISweepArtifactAssembler>(new CurveCheckingAssembler());
        builder.AddLearnedActivationLogging(builder.Configuration["Silo:LogFile"] ?? "silo.clef", console: false);
        builder.AddLearnedActivationSilo(silo => silo.AddIncomingGrainCallFilter(timer));
        using var host = builder.Build();
        await host.StartAsync();
        Console.WriteLine(ReadyLine);
        while (await Console.In.ReadLineAsync() is { } line)
        {
            if (line == "load")
            {
                var load = new SiloLoad(timer.Snapshot(), Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds);
                Console.WriteLine(LoadLine + JsonSerializer.Serialize(load));
            }
        }

        await host.StopAsync();
        return 0;
    }
}

/// <summary>A silo's sweep-grain calls and the CPU seconds its process used.</summary>
internal sealed record SiloLoad(SweepGrainLoad SweepGrain, double CpuSeconds);
