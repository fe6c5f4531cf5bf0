using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Plots;
using LearnedActivation.Model.Reporting;
using LearnedActivation.Model.Tests.Plots;

namespace LearnedActivation.Model.Tests.Reporting;

/// <summary>Synthetic sweep results whose every number follows from the configuration's position in the study.</summary>
internal static class SweepRunsFixture
{
    public const int Epochs = 5;

    /// <summary>The 27 configurations in the study's order: base, then outer size, then activation size.</summary>
    public static IReadOnlyList<ModelConfig> Study { get; } =
    [
        .. from b in StudyPresets.Bases
           from o in Enum.GetValues<SizePreset>()
           from a in Enum.GetValues<SizePreset>()
           select new ModelConfig(b, o, a),
    ];

    public static int IndexOf(ModelConfig config) => Study.ToList().IndexOf(config);

    public static double ValAccuracy(int index) => 0.70 + (0.005 * index);

    public static double ValAuc(int index) => 0.80 + (0.004 * index);

    public static double TestAccuracy(int index) => 0.69 + (0.005 * index);

    public static double TestAuc(int index) => 0.79 + (0.004 * index);

    public static TimeSpan TrainingTime(int index) => TimeSpan.FromSeconds(10.25 + index);

    public static int BestEpoch(int index) => 1 + (index % Epochs);

    /// <summary>
    /// A completed run. Learned functions are distorted copies of the base over x ranges that differ from
    /// run to run (as ranges fitted to each run's pre-activations do).
    /// </summary>
    public static RunSummary Completed(ModelConfig config, long seed = 0, string? runName = null)
    {
        var i = IndexOf(config);
        var x = new XRange(-3 - (0.5 * (i % 3)), 3 + (i % 2)).Linspace(201);
        var name = runName ?? config.Name;
        return new RunSummary(
            config,
            seed,
            name,
            RunOutcome.Completed,
            Error: null,
            EpochsCompleted: Epochs,
            BestEpoch: BestEpoch(i),
            ValAccuracy: ValAccuracy(i),
            ValAuc: ValAuc(i),
            TestAccuracy: TestAccuracy(i),
            TestAuc: TestAuc(i),
            TrainingTime: TrainingTime(i),
            LearnedActivation: SyntheticRuns.Learned(config.Base, x, i % 9),
            Curves: SyntheticRuns.Run(name, Epochs, ValAccuracy(i)),
            PreActivations: Analysis.KnownStats.Symmetric);
    }

    /// <summary>A run that failed after two epochs. It keeps a (partial) learned function, which the figures must not show.</summary>
    public static RunSummary Failed(ModelConfig config, string error, long seed = 0, string? runName = null)
    {
        var completed = Completed(config, seed, runName);
        return completed with
        {
            Outcome = RunOutcome.Failed,
            Error = error,
            EpochsCompleted = 2,
            BestEpoch = 2,
            ValAccuracy = null,
            ValAuc = null,
            TestAccuracy = null,
            TestAuc = null,
            Curves = SyntheticRuns.Run(completed.RunName, 2, 0.7),
        };
    }

    public static IReadOnlyList<RunSummary> AllCompleted() => [.. Study.Select(c => Completed(c))];
}
