using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.Plots;
using LearnedActivation.Model.Reporting;
using LearnedActivation.Model.Training;

namespace LearnedActivation.Model.Outputs;

/// <summary>Turns a finished run's <see cref="RunResult"/> into the row the sweep report is built from.</summary>
public static class RunSummaries
{
    public static RunSummary FromResult(ModelConfig config, long seed, string runName, RunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var best = result.History[result.BestEpoch - 1];
        return new RunSummary(
            config,
            seed,
            runName,
            RunOutcome.Completed,
            Error: null,
            EpochsCompleted: result.History.Count,
            BestEpoch: result.BestEpoch,
            ValAccuracy: result.BestValAccuracy,
            ValAuc: best.ValAuc,
            TestAccuracy: result.TestAccuracy,
            TestAuc: result.TestAuc,
            TrainingTime: result.TrainingTime,
            LearnedActivation: result.ActivationX.Length > 0 ? new FunctionCurve("learned", result.ActivationX, result.ActivationY) : null,
            Curves: RunOutputWriter.Curves(runName, result.History),
            Analysis: result.Analysis,
            TestLoss: result.TestLoss,
            PreActivations: result.PreActivations.Pooled)
        {
            OuterParameters = result.Parameters.Outer,
            ActivationParameters = result.Parameters.Activation,
            TrainAccuracy = result.TrainAccuracy,
            WarmStartFitError = result.WarmStartFitError,
            StoppedEarly = result.StoppedEarly,
        };
    }
}
