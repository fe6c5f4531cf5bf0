using LearnedActivation.Benchmarks;
using LearnedActivation.Model.Configuration;
using static TorchSharp.torch;

// Usage (docs/benchmarks.md):
//   dotnet run -c Release --project tests/LearnedActivation.Benchmarks -- [--quick] [--modes fused,grid] [--sizes large] [--bases relu] [--batch 2048] [--cpu-time]   timing tables
//   ... -- --grid-errors                                                                grid error by knot count
//   ... -- --accuracy [--epochs N] [--seeds N] [--first-seed N] [--sizes ...] [--bases ...] [--modes grid] [--batch N] [--legacy-training] [--data FILE]   results unchanged?
//   ... -- --step-gradients [--epochs N] [--first-seed N] [--bases relu] [--sizes large] [--batch N] [--legacy-training]   one step's gradient error along exact's run
//   ... -- --sweep [--epochs N] [--data FILE]                                            27 runs per mode, timed
//   ... -- --arms [--seeds N] [--sizes ...] [--rows N] [--parallel N] [--minutes N] [--data FILE]  learned from scratch vs fixed
//   ... -- --coordination [--runs 2700] [--epochs 10] [--slots 8] [--keep-store DIR]      a sweep coordinated, nothing trained
//   ... -- --distances [--runs N] [--repeat 3]                                          the assembly's pairwise shape matrix (27, 162, 400 functions)
//   ... -- --coordination-cluster [--silos 1,2,4] [--slots 16] [--runs 540] [--epochs 10] [--repeat 2] [--azurite]   claim rate with silo processes
var options = BenchmarkArguments.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("usage: [--quick] [--modes exact,fused,grid] [--sizes small,medium,large] [--bases tanh,relu,gelu,silu] [--batch N] [--cpu-time] [--default-heap] | --grid-errors | --accuracy [--epochs N] [--seeds N] [--first-seed N] [--sizes small,large] [--bases ...] [--modes ...] [--batch N] [--legacy-training] [--data FILE] | --step-gradients [--epochs N] [--first-seed N] [--bases B] [--sizes S] [--batch N] [--legacy-training] | --sweep [--epochs N] [--data FILE] | --arms [--seeds N] [--sizes small,large] [--rows N] [--parallel N] [--minutes N] [--data FILE] | --distances [--runs N] [--repeat N] | --coordination [--runs N] [--epochs N] [--slots N] [--keep-store DIR] | --coordination-cluster [--silos N,N] [--slots N] [--runs N] [--epochs N] [--repeat N] [--azurite]");
    return 2;
}

if (options.Mode == BenchmarkMode.CoordinationSilo)
{
    return await LearnedActivation.Benchmarks.Coordination.NoTrainingSiloProcess.RunAsync();
}

// Every figure is for one torch thread, as the sweep runs them (one run per core), and with the native heap set as
// training sets it (--default-heap leaves glibc's defaults, to measure what that setting is worth).
set_num_threads(1);
if (!options.DefaultHeap)
{
    LearnedActivation.Model.Training.NativeHeap.KeepFreedMemory();
}

switch (options.Mode)
{
    case BenchmarkMode.GridErrors:
        GridErrorReport.Run(Console.Out);
        break;
    case BenchmarkMode.Accuracy:
        MachineDescription.Write(Console.Out);
        AccuracyCheck.Run(Console.Out, Console.Error, options.Epochs ?? 10, options.Seeds ?? 3, options.DataPath, options.Training, options.FirstSeed,
            options.Sizes?.Select(Names.ParseSize).ToArray(), options.Bases?.Select(Names.ParseBase).ToArray(), options.Modes?.Select(Names.ParseActivationEvaluation).ToArray());
        break;
    case BenchmarkMode.StepGradients:
        MachineDescription.Write(Console.Out);
        var stepSize = Names.ParseSize(options.Sizes?.FirstOrDefault() ?? "large");
        StepGradientCheck.Run(Console.Out, options.Epochs ?? 10, options.FirstSeed, options.DataPath, options.Training,
            new ModelConfig(Names.ParseBase(options.Bases?.FirstOrDefault() ?? "relu"), stepSize, stepSize));
        break;
    case BenchmarkMode.Coordination:
        MachineDescription.Write(Console.Out);
        await LearnedActivation.Benchmarks.Coordination.CoordinationBenchmark.RunAsync(Console.Out, Console.Error, options.Runs ?? 27, options.Epochs ?? 10, options.Slots ?? 8, options.KeepStore);
        break;
    case BenchmarkMode.ClusterClaims:
        MachineDescription.Write(Console.Out);
        await LearnedActivation.Benchmarks.Coordination.ClusterClaimBenchmark.RunAsync(Console.Out, Console.Error, options.Runs ?? 540, options.Epochs ?? 10, options.Slots ?? 16,
            options.Silos ?? [1, 2, 4], options.Repeat ?? 2, options.Azurite);
        break;
    case BenchmarkMode.Distances:
        MachineDescription.Write(Console.Out);
        ShapeDistanceTiming.Run(Console.Out, options.Runs is { } count ? [count] : [27, 162, 400], options.Repeat ?? 3);
        break;
    case BenchmarkMode.Sweep:
        MachineDescription.Write(Console.Out);
        SweepTiming.Run(Console.Out, Console.Error, options.Epochs ?? 2, options.DataPath);
        break;
    case BenchmarkMode.Arms:
        MachineDescription.Write(Console.Out);
        ArmsCheck.Run(Console.Out, Console.Error, options.Seeds ?? 5, options.DataPath, options.Rows,
            options.Sizes?.Select(Names.ParseSize).ToArray() ?? Enum.GetValues<SizePreset>(), options.Parallel ?? Environment.ProcessorCount,
            options.Minutes is { } minutes ? TimeSpan.FromMinutes(minutes) : null);
        break;
    default:
        var repetitions = (options.Quick ? BenchmarkOptions.Quick : BenchmarkOptions.Full) with { CpuTime = options.CpuTime };
        MachineDescription.Write(Console.Out);
        Console.WriteLine($"Warm-up {repetitions.WarmupRepetitions}, repetitions {repetitions.Repetitions}, steps per sample {repetitions.StepsPerSample}, clock: {(repetitions.CpuTime ? "thread CPU time" : "wall")}");
        Console.WriteLine();
        ActivationEvaluation[] modes = options.Modes is { } names ? [.. names.Select(Names.ParseActivationEvaluation)] : Enum.GetValues<ActivationEvaluation>();
        StepBenchmark.Run(Console.Out, repetitions, modes, options.Sizes?.Select(Names.ParseSize).ToArray(), options.Batch ?? StepBenchmark.DefaultBatch, options.Bases?.Select(Names.ParseBase).ToArray());
        ActivationBenchmark.Run(Console.Out, repetitions, modes);
        break;
}

return 0;
