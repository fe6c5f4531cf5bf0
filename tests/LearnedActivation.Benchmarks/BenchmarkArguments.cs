using System.Globalization;
using LearnedActivation.Model.Configuration;

namespace LearnedActivation.Benchmarks;

internal enum BenchmarkMode
{
    Timing,
    GridErrors,
    Accuracy,
    Sweep,
    Arms,
    Coordination,

    /// <summary>The claim rate of one sweep grain with several silo processes (<c>--coordination-cluster</c>).</summary>
    ClusterClaims,

    /// <summary>This program as one of those silo processes (started by the benchmark, not by hand).</summary>
    CoordinationSilo,

    /// <summary>One batch's gradients of the faster modes against exact's, epoch by epoch along an exact run (<c>--step-gradients</c>).</summary>
    StepGradients,

    /// <summary>The assembly's pairwise shape matrix (<c>--distances</c>).</summary>
    Distances,
}

/// <summary>The program's command line; null from <see cref="Parse"/> means usage error.</summary>
internal sealed record BenchmarkArguments(BenchmarkMode Mode, bool Quick, int? Epochs, int? Seeds, string? DataPath, string[]? Sizes = null, string[]? Modes = null, int? Rows = null, int? Parallel = null, int? Minutes = null, bool CpuTime = false, int? Runs = null, int? Slots = null, string? KeepStore = null, int[]? Silos = null, int? Repeat = null, bool Azurite = false, int? Batch = null, bool DefaultHeap = false, string[]? Bases = null, bool LegacyTraining = false, int FirstSeed = 0)
{
    /// <summary>How the checks that train (<c>--accuracy</c>, <c>--step-gradients</c>) train: the study's defaults, or
    /// <see cref="AccuracyCheck.LegacyTraining"/> with <c>--legacy-training</c>; <c>--batch</c> replaces the batch size.</summary>
    public TrainConfig Training
    {
        get
        {
            var training = LegacyTraining ? AccuracyCheck.LegacyTraining : new TrainConfig();
            return Batch is { } batch ? training with { BatchSize = batch } : training;
        }
    }

    public static BenchmarkArguments? Parse(IReadOnlyList<string> args)
    {
        var result = new BenchmarkArguments(BenchmarkMode.Timing, false, null, null, null);
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    result = result with { Quick = true };
                    break;
                case "--legacy-training":
                    result = result with { LegacyTraining = true };
                    break;
                case "--cpu-time":
                    result = result with { CpuTime = true };
                    break;
                case "--default-heap":
                    result = result with { DefaultHeap = true };
                    break;
                case "--grid-errors":
                    result = result with { Mode = BenchmarkMode.GridErrors };
                    break;
                case "--accuracy":
                    result = result with { Mode = BenchmarkMode.Accuracy };
                    break;
                case "--step-gradients":
                    result = result with { Mode = BenchmarkMode.StepGradients };
                    break;
                case "--sweep":
                    result = result with { Mode = BenchmarkMode.Sweep };
                    break;
                case "--arms":
                    result = result with { Mode = BenchmarkMode.Arms };
                    break;
                case "--rows" when i + 1 < args.Count && TryPositive(args[i + 1], out var rows):
                    result = result with { Rows = rows };
                    i++;
                    break;
                case "--minutes" when i + 1 < args.Count && TryPositive(args[i + 1], out var minutes):
                    result = result with { Minutes = minutes };
                    i++;
                    break;
                case "--parallel" when i + 1 < args.Count && TryPositive(args[i + 1], out var parallel):
                    result = result with { Parallel = parallel };
                    i++;
                    break;
                case "--distances":
                    result = result with { Mode = BenchmarkMode.Distances };
                    break;
                case "--coordination":
                    result = result with { Mode = BenchmarkMode.Coordination };
                    break;
                case "--coordination-cluster":
                    result = result with { Mode = BenchmarkMode.ClusterClaims };
                    break;
                case Coordination.NoTrainingSiloProcess.Argument:
                    result = result with { Mode = BenchmarkMode.CoordinationSilo };
                    break;
                case "--silos" when i + 1 < args.Count && args[i + 1].Split(',').All(s => TryPositive(s, out _)):
                    result = result with { Silos = [.. args[i + 1].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))] };
                    i++;
                    break;
                case "--repeat" when i + 1 < args.Count && TryPositive(args[i + 1], out var repeat):
                    result = result with { Repeat = repeat };
                    i++;
                    break;
                case "--azurite":
                    result = result with { Azurite = true };
                    break;
                case "--runs" when i + 1 < args.Count && TryPositive(args[i + 1], out var runs):
                    result = result with { Runs = runs };
                    i++;
                    break;
                case "--batch" when i + 1 < args.Count && TryPositive(args[i + 1], out var batch):
                    result = result with { Batch = batch };
                    i++;
                    break;
                case "--slots" when i + 1 < args.Count && TryPositive(args[i + 1], out var slots):
                    result = result with { Slots = slots };
                    i++;
                    break;
                case "--epochs" when i + 1 < args.Count && TryPositive(args[i + 1], out var epochs):
                    result = result with { Epochs = epochs };
                    i++;
                    break;
                case "--seeds" when i + 1 < args.Count && TryPositive(args[i + 1], out var seeds):
                    result = result with { Seeds = seeds };
                    i++;
                    break;
                case "--first-seed" when i + 1 < args.Count && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var firstSeed):
                    result = result with { FirstSeed = firstSeed };
                    i++;
                    break;
                case "--sizes" when i + 1 < args.Count:
                    result = result with { Sizes = args[i + 1].Split(',') };
                    i++;
                    break;
                case "--bases" when i + 1 < args.Count && args[i + 1].Split(',').All(b => Names.TryParse(b, out BaseActivation? _)):
                    result = result with { Bases = args[i + 1].Split(',') };
                    i++;
                    break;
                case "--modes" when i + 1 < args.Count && args[i + 1].Split(',').All(m => Names.TryParse(m, out ActivationEvaluation? _)):
                    result = result with { Modes = args[i + 1].Split(',') };
                    i++;
                    break;
                case "--keep-store" when i + 1 < args.Count:
                    result = result with { KeepStore = args[i + 1] };
                    i++;
                    break;
                case "--data" when i + 1 < args.Count:
                    result = result with { DataPath = args[i + 1] };
                    i++;
                    break;
                default:
                    return null;
            }
        }

        return result;
    }

    private static bool TryPositive(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value > 0;
}
