using LearnedActivation.Benchmarks;
using LearnedActivation.Model.Configuration;
using static TorchSharp.torch;

// Timings are per run of one thread, as the sweep runs them (one run per core).
set_num_threads(1);
var modes = Enum.GetValues<ActivationEvaluation>();
var options = args.Contains("--quick") ? BenchmarkOptions.Quick : BenchmarkOptions.Full;

if (args.Contains("--scratch"))
{
    Scratch.Run();
    return 0;
}

if (args.Contains("--grid-errors"))
{
    GridErrorReport.Run(Console.Out);
    return 0;
}

MachineDescription.Write(Console.Out, options);
StepBenchmark.Run(Console.Out, options, modes);
ActivationBenchmark.Run(Console.Out, options, modes);
return 0;
