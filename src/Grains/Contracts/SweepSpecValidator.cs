using System.Globalization;
using LearnedActivation.Model.Configuration;
using LearnedActivation.Model.IO;

namespace LearnedActivation.Grains.Contracts;

/// <summary>
/// Rules every spec must satisfy, however it was made (file, CLI flags, code). The sweep grain checks them
/// too, so no bad spec reaches storage.
/// </summary>
public static class SweepSpecValidator
{
    /// <summary>
    /// Runs one sweep may have (the product of its axes). Each run is a grain with stored state, checkpoints and
    /// artifacts; the study has 27. A bound keeps one spec from flooding a cluster and its store.
    /// </summary>
    public const int MaxRuns = 10_000;

    /// <summary>The first problem as "field: problem", or null when the spec is valid.</summary>
    public static string? FirstError(SweepSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!RunKey.IsValidName(spec.Id))
        {
            return $"id: {Excerpt.Quote(spec.Id ?? string.Empty)} is not a valid sweep id (1-64 of letters, digits, '.', '_', '-'; starting with a letter or digit)";
        }

        if (!RunKey.IsValidSweepId(spec.Id))
        {
            return $"id: '{spec.Id}' is reserved (the store uses that name itself); choose another id";
        }

        if (spec.Axes is null || spec.Budget is null || spec.Data is null)
        {
            return "spec: axes, budget and data are required";
        }

        var axes = spec.Axes;
        var emptyAxis = (axes.Bases?.Count ?? 0) == 0 ? "bases"
            : (axes.OuterSizes?.Count ?? 0) == 0 ? "outerSizes"
            : (axes.ActivationSizes?.Count ?? 0) == 0 ? "activationSizes"
            : (axes.Seeds?.Count ?? 0) == 0 ? "seeds"
            : (axes.Arms?.Count ?? 0) == 0 ? "arms"
            : null;
        if (emptyAxis is not null)
        {
            return $"{emptyAxis}: must not be empty";
        }

        if (axes.Bases!.Any(b => !Enum.IsDefined(b)) || axes.OuterSizes!.Concat(axes.ActivationSizes!).Any(s => !Enum.IsDefined(s)))
        {
            return "axes: unknown base or size";
        }

        if (axes.Arms!.Any(a => !Enum.IsDefined(a)))
        {
            return "arms: unknown arm";
        }

        if (spec.Multitask is { } multitask && MultitaskError(multitask, spec.Data) is { } multitaskError)
        {
            return multitaskError;
        }

        if (spec.Transfer is { } transfer)
        {
            if (TransferError(transfer, axes) is { } transferError)
            {
                return transferError;
            }
        }
        else if (axes.Arms!.FirstOrDefault(a => a.NeedsSourceActivation()) is var needsSource && needsSource.NeedsSourceActivation())
        {
            return $"arms: '{Names.Of(needsSource)}' starts from a source run's activation: it is an arm of transfer sweeps (learnact transfer SWEEP --data FILE --target COLUMN)";
        }

        // The fixed arms have no activation network: one run per base, outer size and seed, whatever the activation sizes.
        var configsPerBaseAndOuter = axes.Arms!.Distinct().Sum(a => a.HasActivationNetwork() ? (long)axes.ActivationSizes!.Count : 1);
        var runs = spec.Transfer is { } t
            ? (long)t.Sources.Count * axes.Arms!.Count * axes.Seeds!.Count
            : spec.Multitask is { } m
            // Per configuration and seed: the joint run, one per task, a frozen run for each of those, learned; fixed per base and outer size.
            ? (long)axes.Bases!.Count * axes.OuterSizes!.Count * axes.Seeds!.Count * ((axes.ActivationSizes!.Count * ((2L * (1 + (m.Tasks?.Count ?? 0))) + 1)) + 1)
            : (long)axes.Bases!.Count * axes.OuterSizes!.Count * configsPerBaseAndOuter * axes.Seeds!.Count;
        if (runs > MaxRuns)
        {
            return string.Create(CultureInfo.InvariantCulture, $"axes: {runs} runs (bases x outerSizes x arms' activation sizes x seeds), more than the limit of {MaxRuns}; split the study into several sweeps");
        }

        if (axes.Seeds!.Any(s => s < 0))
        {
            return "seeds: must be non-negative integers";
        }

        var budget = spec.Budget;
        var bad = budget.Epochs <= 0 ? ("maxEpochs", Show(budget.Epochs))
            : budget.Patience <= 0 ? ("patience", Show(budget.Patience))
            : budget.BatchSize <= 0 ? ("batchSize", Show(budget.BatchSize))
            : !(budget.LearningRate > 0) || !double.IsFinite(budget.LearningRate) ? ("learningRate", Show(budget.LearningRate))
            : budget.TorchThreads <= 0 ? ("torchThreads", Show(budget.TorchThreads))
            : spec.CheckpointEvery <= 0 ? ("checkpointEvery", Show(spec.CheckpointEvery))
            : default((string, string)?);
        if (bad is { } b2)
        {
            return $"{b2.Item1}: must be positive (got {b2.Item2})";
        }

        if (!(budget.ActivationCurvature >= 0) || !double.IsFinite(budget.ActivationCurvature))
        {
            return $"activationCurvature: must be a non-negative number (got {Show(budget.ActivationCurvature)})";
        }

        if (!(budget.LearningRateWarmup >= 0) || !double.IsFinite(budget.LearningRateWarmup))
        {
            return $"learningRateWarmup: must be a non-negative number of epochs (got {Show(budget.LearningRateWarmup)})";
        }

        if (!(budget.ActivationLearningRateScale > 0) || !double.IsFinite(budget.ActivationLearningRateScale))
        {
            return $"activationLearningRateScale: must be a positive number (got {Show(budget.ActivationLearningRateScale)})";
        }

        if (!(budget.RollbackAbove == 0 || budget.RollbackAbove > 1) || !double.IsFinite(budget.RollbackAbove))
        {
            return $"rollbackAbove: must be 0 (off) or a multiple of the best validation loss above 1 (got {Show(budget.RollbackAbove)})";
        }

        if (budget.TorchThreads > Environment.ProcessorCount)
        {
            return string.Create(CultureInfo.InvariantCulture, $"torchThreads: {budget.TorchThreads} is more than the {Environment.ProcessorCount} cores of this machine");
        }

        if (spec.Data.File is not null && string.IsNullOrWhiteSpace(spec.Data.Target))
        {
            return "data.target: required when data.file is set";
        }

        if (spec.Data.File is null && spec.Data.Target is not null)
        {
            return "data.file: required when data.target is set";
        }

        var duplicate = spec.Runs().GroupBy(r => r.ConfigName).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null ? null : $"axes: configuration '{duplicate.Key}' appears more than once";
    }

    private static string? MultitaskError(MultitaskSweep multitask, DataSpec holdout)
    {
        var tasks = multitask.Tasks ?? [];
        if (tasks.Count < 2)
        {
            return $"tasks: needs at least two tasks (got {tasks.Count}); one task is a learned run";
        }

        for (var i = 0; i < tasks.Count; i++)
        {
            if (tasks[i]?.File is null || string.IsNullOrWhiteSpace(tasks[i].Target))
            {
                return $"tasks[{i}]: needs a file and a target";
            }

            if (tasks.Take(i).Contains(tasks[i]))
            {
                return $"tasks[{i}]: duplicate of an earlier task";
            }

            if (tasks[i] == holdout)
            {
                return $"holdout: is also tasks[{i}]; the held-out task must stay out of the joint training";
            }
        }

        return null;
    }

    private static string? TransferError(TransferSpec transfer, SweepAxes axes)
    {
        if (transfer.Sources is null || transfer.Sources.Count == 0)
        {
            return $"transfer: sweep '{transfer.SourceSweepId}' has no completed run with a learned activation to transfer";
        }

        if (axes.Arms!.FirstOrDefault(a => !StudyArms.Transfer.Contains(a)) is var other && !StudyArms.Transfer.Contains(other))
        {
            return $"arms: '{Names.Of(other)}' is not an arm of transfer sweeps (expected {string.Join("|", StudyArms.Transfer.Select(Names.Of))})";
        }

        var noNetwork = transfer.Sources.FirstOrDefault(s => !s.Arm.HasActivationNetwork());
        return noNetwork is null ? null : $"transfer: source run '{noNetwork.RunName}' is of arm {Names.Of(noNetwork.Arm)}, which has no activation network";
    }

    private static string Show(double value) => value.ToString(CultureInfo.InvariantCulture);
}
